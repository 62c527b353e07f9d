package io.selectors4j.apps.echo;

import io.selectors4j.apps.common.Reads;
import io.selectors4j.net.PythonText;
import io.selectors4j.net.Socket;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code s4j slow-client}: the classic client that sends its message in two parts 1.5 s apart, then
 * reads the echo 16 bytes at a time. It shows that one slow client does not hold up a select server.
 */
@Command(name = "slow-client", mixinStandardHelpOptions = true,
        description = {"Send a message in two parts, 1.5 s apart, and read the echo.",
            "The echo, 48 bytes, is read 16 bytes at a time: one slow client does not hold up a select server."})
public final class SlowClientCommand implements Callable<Integer> {
    private static final byte[] PART_ONE = "Part one of the message.".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PART_TWO = "Part two of the message.".getBytes(StandardCharsets.US_ASCII);
    private static final long PAUSE_MILLIS = 1500;

    @Spec
    private CommandSpec spec;

    @Mixin
    private EchoServerAddress server;

    /** Runs the session; a runtime failure when the echo is cut short. */
    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        server.announce(out);
        try (Socket socket = server.connect()) {
            line(out, "sending " + PythonText.bytes(PART_ONE));
            socket.sendAll(PART_ONE);
            Thread.sleep(PAUSE_MILLIS);
            line(out, "sending " + PythonText.bytes(PART_TWO));
            socket.sendAll(PART_TWO);
            int expected = PART_ONE.length + PART_TWO.length;
            byte[] chunk = new byte[16];
            int received = 0;
            while (received < expected) {
                // Each line is a whole 16 bytes however the echo was cut in transit, so the output
                // does not depend on how fast the server answers.
                int want = Math.min(chunk.length, expected - received);
                for (int filled = 0; filled < want; ) {
                    int n = Reads.recv(socket, chunk, filled, want - filled);
                    if (n <= 0) {
                        throw new IOException("the server closed the connection after " + (received + filled)
                                + " of " + expected + " bytes");
                    }
                    filled += n;
                }
                line(out, "received " + PythonText.bytes(chunk, 0, want));
                received += want;
            }
            line(out, "closing socket");
        }
        return 0;
    }

    private static void line(PrintWriter out, String line) {
        out.println(line);
        out.flush();
    }
}
