package io.selectors4j.apps.reliability;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * Many echo clients on one {@code java.nio} selector in the test JVM: each connection sends its own
 * deterministic byte stream, keeps a few bytes in flight, and checks every echoed byte against what
 * it sent. A connection the server ends or resets counts as dropped.
 */
final class EchoTraffic implements AutoCloseable {
    private static final int CONNECTS_IN_FLIGHT = 100;

    /** What a run saw. */
    record Tally(int connections, long bytesChecked, long mismatches, int dropped) {}

    private final Selector selector;
    private final InetSocketAddress server;
    private final int chunk;
    private final int window;
    private final ByteBuffer out;
    private final ByteBuffer in;
    private final Connection[] streams;
    private long bytesChecked;
    private long mismatches;
    private int dropped;

    /** One connection's stream: byte {@code i} is {@link #expected}{@code (id, i)}. */
    private static final class Connection {
        final int id;
        final SocketChannel channel;
        long sent;
        long received;
        boolean open = true;

        Connection(int id, SocketChannel channel) {
            this.id = id;
            this.channel = channel;
        }
    }

    /**
     * Opens {@code connections} connections to the echo server on loopback {@code port}, at most
     * {@value #CONNECTS_IN_FLIGHT} connecting at a time so the listener's backlog is never the limit.
     * Each sends {@code chunk} bytes at a time with at most {@code window} bytes unanswered.
     */
    EchoTraffic(int port, int connections, int chunk, int window, Duration patience) throws IOException {
        this.selector = Selector.open();
        this.server = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        this.chunk = chunk;
        this.window = window;
        this.out = ByteBuffer.allocateDirect(chunk);
        this.in = ByteBuffer.allocateDirect(64 * 1024);
        this.streams = new Connection[connections];
        connectAll(patience);
    }

    /** The byte at {@code offset} of connection {@code id}'s stream: varied, and different per connection. */
    static byte expected(int id, long offset) {
        long x = offset * 0x9E3779B97F4A7C15L + id * 0xC2B2AE3D27D4EB4FL;
        return (byte) (x >>> 56);
    }

    private void connectAll(Duration patience) throws IOException {
        long deadline = System.nanoTime() + patience.toNanos();
        int started = 0;
        int connected = 0;
        while (connected < streams.length) {
            while (started < streams.length && started - connected < CONNECTS_IN_FLIGHT) {
                SocketChannel channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                streams[started] = new Connection(started, channel);
                if (channel.connect(server)) {
                    connected++;
                    channel.register(selector, 0, streams[started]);
                } else {
                    channel.register(selector, SelectionKey.OP_CONNECT, streams[started]);
                }
                started++;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + connected + " of " + streams.length + " connected in " + patience);
            }
            selector.select(100);
            for (SelectionKey key : selector.selectedKeys()) {
                Connection stream = (Connection) key.attachment();
                if (stream.channel.finishConnect()) {
                    key.interestOps(0);
                    connected++;
                }
            }
            selector.selectedKeys().clear();
        }
    }

    /** Runs traffic on every connection for {@code duration}. */
    void run(Duration duration) throws IOException {
        for (Connection stream : streams) {
            stream.channel.keyFor(selector).interestOps(SelectionKey.OP_READ);
            fill(stream);
        }
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < end) {
            selector.select(100);
            for (SelectionKey key : selector.selectedKeys()) {
                Connection stream = (Connection) key.attachment();
                if (key.isValid() && key.isReadable()) {
                    receive(stream);
                }
                if (stream.open && key.isValid()) {
                    fill(stream);
                }
            }
            selector.selectedKeys().clear();
        }
    }

    /**
     * Stops sending and waits until every connection has had all its bytes echoed, so nothing still in
     * flight is counted as lost.
     */
    void drain(Duration patience) throws IOException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (outstanding() > 0 && System.nanoTime() < deadline) {
            selector.select(100);
            for (SelectionKey key : selector.selectedKeys()) {
                if (key.isValid() && key.isReadable()) {
                    receive((Connection) key.attachment());
                }
            }
            selector.selectedKeys().clear();
        }
    }

    private long outstanding() {
        long total = 0;
        for (Connection stream : streams) {
            if (stream.open) {
                total += stream.sent - stream.received;
            }
        }
        return total;
    }

    private void fill(Connection stream) throws IOException {
        while (stream.sent - stream.received < window) {
            out.clear();
            int n = (int) Math.min(chunk, window - (stream.sent - stream.received));
            for (int i = 0; i < n; i++) {
                out.put(expected(stream.id, stream.sent + i));
            }
            out.flip();
            int written;
            try {
                written = stream.channel.write(out);
            } catch (IOException e) {
                drop(stream);
                return;
            }
            stream.sent += written;
            if (written < n) {
                return;
            }
        }
    }

    private void receive(Connection stream) {
        in.clear();
        int n;
        try {
            n = stream.channel.read(in);
        } catch (IOException e) {
            drop(stream);
            return;
        }
        if (n < 0) {
            drop(stream);
            return;
        }
        for (int i = 0; i < n; i++) {
            if (in.get(i) != expected(stream.id, stream.received + i)) {
                mismatches++;
            }
        }
        stream.received += n;
        if (stream.received > stream.sent) {
            mismatches += stream.received - stream.sent;
        }
        bytesChecked += n;
    }

    private void drop(Connection stream) {
        if (stream.open) {
            stream.open = false;
            dropped++;
            stream.channel.keyFor(selector).cancel();
        }
    }

    /** What the traffic saw so far. */
    Tally tally() {
        return new Tally(streams.length, bytesChecked, mismatches, dropped);
    }

    @Override
    public void close() throws IOException {
        for (Connection stream : streams) {
            if (stream != null) {
                stream.channel.close();
            }
        }
        selector.close();
    }
}
