package io.selectors4j.bench;

import io.selectors4j.bench.peers.BackPressureEcho;
import io.selectors4j.loop.EventLoop;
import io.selectors4j.loop.Server;
import io.selectors4j.loop.ServerOptions;
import io.selectors4j.loop.TlsSettings;
import io.selectors4j.net.Socket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One message echoed over TLS 1.3 (AES-128-GCM) by an {@link EventLoop} TLS server, the client a
 * plain {@code SSLEngine} over a blocking socket driven by the benchmark thread, so that the client
 * side allocates what {@link TlsEngineBenchmark}'s client half does and nothing else. With
 * {@code -prof gc}: gc.alloc.rate.norm here, less {@code TlsEngineBenchmark}'s, is what the loop and
 * our TLS layer add per echo (the server engine's own share is in both).
 */
public class TlsLoopEchoBenchmark extends BenchmarkSettings {
    @Param({"1024"})
    int size;

    private final TlsEngines engines = new TlsEngines();
    private EventLoop loop;
    private Thread loopThread;
    private Socket socket;
    private SSLEngine client;
    private ByteBuffer message;
    private ByteBuffer net;
    private ByteBuffer in;
    private ByteBuffer back;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        loop = EventLoop.open();
        loopThread = Thread.ofPlatform().name("bench-loop").start(loop::run);
        Server server = loop.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), BackPressureEcho::new,
                ServerOptions.defaults(), TlsSettings.server(TlsEngines.SERVER_CONTEXT));
        socket = Socket.connectTcp((InetSocketAddress) server.address());
        socket.setTcpNoDelay(true);
        client = TlsEngines.client();
        message = ByteBuffer.allocate(size);
        net = ByteBuffer.allocate(size + 64 * 1024);
        in = ByteBuffer.allocate(size + 64 * 1024);
        back = ByteBuffer.allocate(size + 64 * 1024);
        handshakeOverTheSocket();
    }

    private void handshakeOverTheSocket() throws IOException {
        ByteBuffer empty = ByteBuffer.allocate(0);
        client.beginHandshake();
        while (true) {
            switch (client.getHandshakeStatus()) {
                case NEED_TASK -> TlsEngines.runDelegatedTasks(client);
                case NEED_WRAP -> {
                    client.wrap(empty, net.clear());
                    sendAll(net.flip());
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    in.flip();
                    SSLEngineResult result = client.unwrap(in, back.clear());
                    in.compact();
                    if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                        receiveSome();
                    }
                }
                default -> {
                    return;
                }
            }
        }
    }

    /** One message out and its echo back, decrypted in full. */
    @Benchmark
    public int echoOneMessage() throws IOException {
        message.clear();
        engines.wrap(client, message, net.clear());
        sendAll(net.flip());
        back.clear();
        while (back.position() < size) {
            in.flip();
            engines.unwrap(client, in, back);
            in.compact();
            if (back.position() < size) {
                receiveSome();
            }
        }
        return back.position();
    }

    private void sendAll(ByteBuffer data) throws IOException {
        while (data.hasRemaining()) {
            socket.send(data);
        }
    }

    private void receiveSome() throws IOException {
        if (socket.recv(in) <= 0) {
            throw new IOException("the TLS echo server closed the connection");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException, InterruptedException {
        socket.close();
        loop.stop();
        loopThread.join();
        loop.close();
    }
}
