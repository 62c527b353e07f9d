package io.selectors4j.apps.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;
import java.util.Random;

/** Plain JDK sockets that play the clients of the servers under test. */
public final class Clients {
    private Clients() {
    }

    /** A connection to 127.0.0.1 {@code port}, reads giving up after {@link Program#PATIENCE}. */
    public static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), (int) Program.PATIENCE.toMillis());
        socket.setSoTimeout((int) Program.PATIENCE.toMillis());
        return socket;
    }

    /** Reads exactly {@code n} bytes, failing at end of stream or on a timeout. */
    public static byte[] readExactly(Socket socket, int n) throws IOException {
        byte[] data = new byte[n];
        InputStream in = socket.getInputStream();
        int received = 0;
        while (received < n) {
            int r = in.read(data, received, n - received);
            if (r < 0) {
                throw new IOException("end of stream after " + received + " of " + n + " bytes");
            }
            received += r;
        }
        return data;
    }

    /** Sends random bytes in random pieces while another thread reads; true when the echo is identical. */
    public static boolean echoesEverything(int port, Random random, int total) throws Exception {
        byte[] sent = new byte[total];
        random.nextBytes(sent);
        try (Socket socket = connect(port)) {
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    for (int off = 0; off < total; ) {
                        int n = Math.min(total - off, 1 + random.nextInt(20_000));
                        out.write(sent, off, n);
                        off += n;
                    }
                    socket.shutdownOutput();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            byte[] received = socket.getInputStream().readAllBytes();
            writer.join();
            return Arrays.equals(sent, received);
        }
    }

    /** Closes with a reset (RST) instead of an orderly FIN. */
    public static void reset(Socket socket) throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }
}
