package io.selectors4j.bench;

import io.selectors4j.bench.peers.BackPressureEcho;
import io.selectors4j.loop.EventLoop;
import io.selectors4j.loop.Server;
import io.selectors4j.loop.ServerOptions;
import io.selectors4j.net.Socket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One 100 KiB message echoed by the event loop when nearly every write it makes is partial: the
 * server's send buffer is 4 KiB, the client's receive buffer 4 KiB, and the client reads the echo in
 * 1,000-byte pieces while a thread of its own keeps sending. The loop's write queue then sends from
 * inside its first chunk to the middle of its last on every writable event. Run with {@code -prof gc}:
 * gc.alloc.rate.norm is the bytes the whole JVM (loop, writer and reader) allocates per message.
 */
public class LoopPartialWriteBenchmark extends BenchmarkSettings {
    private static final int MESSAGE = 100 * 1024;
    private static final int SMALL_BUFFER = 4096;

    private EventLoop loop;
    private Thread loopThread;
    private Socket client;
    private Thread writer;
    private volatile boolean writing;
    private final byte[] piece = new byte[1000];

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        loop = EventLoop.open();
        loopThread = Thread.ofPlatform().name("bench-loop").start(loop::run);
        Server server = loop.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                BackPressureEcho::new, ServerOptions.defaults().withSendBufferSize(SMALL_BUFFER));
        client = Socket.tcp4();
        client.setReceiveBufferSize(SMALL_BUFFER); // before connecting: the window stays small
        client.connect(server.address());
        writing = true;
        writer = Thread.ofPlatform().name("bench-writer").start(this::sendForever);
    }

    /** The client's sending half: whole messages, one after another, until the trial ends. */
    private void sendForever() {
        byte[] message = new byte[MESSAGE];
        try {
            while (writing) {
                client.sendAll(message);
            }
        } catch (IOException e) {
            if (writing) {
                throw new IllegalStateException("the echo connection failed", e);
            }
        }
    }

    /** Reads one message's worth of echo in small pieces; returns the last piece's size. */
    @Benchmark
    public int echoOneMessage() throws IOException {
        int n = 0;
        for (int left = MESSAGE; left > 0; left -= n) {
            n = client.recv(piece, 0, Math.min(piece.length, left));
            if (n <= 0) {
                throw new IOException("the echo server closed the connection");
            }
        }
        return n;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException, InterruptedException {
        writing = false;
        client.shutdown(Socket.SHUT_RDWR); // wakes the writer's blocked send
        writer.join();
        client.close();
        loop.stop();
        loopThread.join();
        loop.close();
    }
}
