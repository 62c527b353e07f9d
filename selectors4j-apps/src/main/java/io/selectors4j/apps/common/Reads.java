package io.selectors4j.apps.common;

import io.selectors4j.net.Socket;
import io.selectors4j.select.Select;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/** Client-side reads that give up after a while instead of hanging on a silent server. */
public final class Reads {
    /** How long a client waits for an answer. */
    public static final Duration PATIENCE = Duration.ofSeconds(10);

    private Reads() {
    }

    /**
     * Receives into {@code data} from a blocking socket once it is readable: the count, or 0 at end of
     * stream.
     *
     * @throws IOException {@code no answer within 10 s} when nothing arrives in time
     */
    public static int recv(Socket socket, byte[] data, int off, int len) throws IOException {
        awaitReadable(socket);
        return socket.recv(data, off, len);
    }

    /** Waits until {@code socket} is readable, or fails with {@code no answer within 10 s}. */
    public static void awaitReadable(Socket socket) throws IOException {
        if (Select.select(List.of(socket), List.of(), List.of(), PATIENCE).readable().isEmpty()) {
            throw new IOException("no answer within " + PATIENCE.toSeconds() + " s");
        }
    }
}
