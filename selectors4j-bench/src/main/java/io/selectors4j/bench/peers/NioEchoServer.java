package io.selectors4j.bench.peers;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * The plain {@code java.nio} echo peer: {@code NioEchoServer PORT [THREADS]}. Each of THREADS loops
 * owns a {@link Selector} and an {@code SO_REUSEPORT} listener; reads go into one direct buffer per
 * loop and are written back at once; bytes the socket would not take wait in a buffer of their own
 * connection, which stops reading until they are sent.
 */
public final class NioEchoServer {
    private static final int BUFFER = 64 * 1024;

    private NioEchoServer() {
    }

    /** Starts the loops and serves until the process is killed. */
    public static void main(String[] args) throws IOException {
        PeerArguments arguments = PeerArguments.parse("NioEchoServer", args, 0);
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), arguments.port());
        Thread[] loops = new Thread[arguments.threads()];
        for (int i = 0; i < loops.length; i++) {
            Loop loop = new Loop(address);
            loops[i] = Thread.ofPlatform().name("nio-echo-" + i).start(loop::run);
        }
        StatsHook.start();
        arguments.announce();
        for (Thread loop : loops) {
            try {
                loop.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** One selector with its own listener. */
    private static final class Loop {
        private final Selector selector;
        private final ServerSocketChannel listener;
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER);

        Loop(InetSocketAddress address) throws IOException {
            selector = Selector.open();
            listener = ServerSocketChannel.open();
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            listener.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            listener.bind(address, 4096);
            listener.configureBlocking(false);
            listener.register(selector, SelectionKey.OP_ACCEPT);
        }

        void run() {
            try {
                while (true) {
                    selector.select(this::ready);
                }
            } catch (IOException e) {
                System.err.println("NioEchoServer: " + e);
                System.exit(2);
            }
        }

        private void ready(SelectionKey key) {
            try {
                if (key.isAcceptable()) {
                    accept();
                } else if (key.isWritable()) {
                    flush(key);
                } else if (key.isReadable()) {
                    echo(key);
                }
            } catch (IOException e) {
                close(key);
            }
        }

        private void accept() throws IOException {
            for (int i = 0; i < 64; i++) {
                SocketChannel channel = listener.accept();
                if (channel == null) {
                    return;
                }
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel.register(selector, SelectionKey.OP_READ);
            }
        }

        private void echo(SelectionKey key) throws IOException {
            SocketChannel channel = (SocketChannel) key.channel();
            buffer.clear();
            int n = channel.read(buffer);
            if (n < 0) {
                close(key);
                return;
            }
            buffer.flip();
            channel.write(buffer);
            if (buffer.hasRemaining()) {
                ByteBuffer pending = ByteBuffer.allocate(buffer.remaining());
                pending.put(buffer).flip();
                key.attach(pending);
                key.interestOps(SelectionKey.OP_WRITE);
            }
        }

        private void flush(SelectionKey key) throws IOException {
            ByteBuffer pending = (ByteBuffer) key.attachment();
            ((SocketChannel) key.channel()).write(pending);
            if (!pending.hasRemaining()) {
                key.attach(null);
                key.interestOps(SelectionKey.OP_READ);
            }
        }

        private static void close(SelectionKey key) {
            key.cancel();
            try {
                key.channel().close();
            } catch (IOException e) {
                // Closing a broken connection: nothing more to release.
            }
        }
    }
}
