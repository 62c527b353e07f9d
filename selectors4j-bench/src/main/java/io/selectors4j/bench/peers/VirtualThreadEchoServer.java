package io.selectors4j.bench.peers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * The virtual-thread echo peer: {@code VirtualThreadEchoServer PORT [THREADS]}. Blocking
 * {@code java.net} sockets, one virtual thread per connection reading into its own 16 KiB array and
 * writing it back. THREADS sets the virtual-thread scheduler's parallelism (its carrier threads).
 */
public final class VirtualThreadEchoServer {
    private static final int BUFFER = 16 * 1024;

    private VirtualThreadEchoServer() {
    }

    /** Starts the server and serves until the process is killed. */
    public static void main(String[] args) throws IOException {
        PeerArguments arguments = PeerArguments.parse("VirtualThreadEchoServer", args, 0);
        if (System.getProperty("jdk.virtualThreadScheduler.parallelism") == null) {
            // Read when the first virtual thread starts, which is below.
            System.setProperty("jdk.virtualThreadScheduler.parallelism", Integer.toString(arguments.threads()));
        }
        try (ServerSocket listener = new ServerSocket(arguments.port(), 4096, InetAddress.getLoopbackAddress())) {
            StatsHook.start();
            arguments.announce();
            while (true) {
                Socket socket = listener.accept();
                Thread.ofVirtual().start(() -> serve(socket));
            }
        }
    }

    private static void serve(Socket socket) {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            socket.setTcpNoDelay(true);
            byte[] buffer = new byte[BUFFER];
            for (int n; (n = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // The client reset or left: this connection is over, the others go on.
        }
    }
}
