package io.selectors4j.apps.beej;

import io.selectors4j.apps.common.Addresses;
import io.selectors4j.apps.common.PortConverter;
import io.selectors4j.net.PythonText;
import io.selectors4j.net.Socket;
import io.selectors4j.select.Select;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code s4j select-client PREFIX HOST PORT}: sends {@code PREFIX: } and 10 to 19 random lowercase
 * letters, waits a random while, and again, until the server goes away (a runtime failure) or the
 * user stops it.
 */
@Command(name = "select-client", mixinStandardHelpOptions = true,
        description = {"Send PREFIX and random letters to a select server, forever.",
            "Each message is 'PREFIX: ' and 10 to 19 random lowercase letters, sent at random intervals until "
                    + "the server goes away."})
public final class SelectClientCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PREFIX", description = "Text before each message, such as test1.")
    private String prefix;

    @Parameters(index = "1", paramLabel = "HOST", description = "The select server's host name or address.")
    private String host;

    @Parameters(index = "2", paramLabel = "PORT", converter = PortConverter.class, description = "The select server's port.")
    private int port;

    @Option(names = "--interval", paramLabel = "MIN,MAX", defaultValue = "1,5",
            description = "Seconds to wait between messages, chosen at random in this range, "
                    + "0 <= MIN <= MAX <= 3600 (default: ${DEFAULT-VALUE}).")
    private String interval;

    /** Sends until the server closes the connection. */
    @Override
    public Integer call() throws IOException {
        long[] waitMillis = waitRange();
        Random random = new Random();
        PrintWriter out = spec.commandLine().getOut();
        byte[] discard = new byte[4096];
        try (Socket socket = Addresses.connect(host, port)) {
            while (true) {
                byte[] message = message(random);
                out.println("sending " + PythonText.bytes(message));
                out.flush();
                socket.sendAll(message);
                long pause = waitMillis[0] + (long) (random.nextDouble() * (waitMillis[1] - waitMillis[0]));
                // Waiting on the socket rather than sleeping notices at once when the server hangs up.
                if (!Select.select(List.of(socket), List.of(), List.of(), Duration.ofMillis(pause)).readable().isEmpty()
                        && socket.recv(discard) == 0) {
                    throw new IOException("the server closed the connection");
                }
            }
        }
    }

    private byte[] message(Random random) {
        StringBuilder text = new StringBuilder(prefix).append(": ");
        int letters = 10 + random.nextInt(10);
        for (int i = 0; i < letters; i++) {
            text.append((char) ('a' + random.nextInt(26)));
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private long[] waitRange() {
        String[] parts = interval.split(",", -1);
        try {
            if (parts.length == 2) {
                long min = Math.round(Double.parseDouble(parts[0].strip()) * 1000);
                long max = Math.round(Double.parseDouble(parts[1].strip()) * 1000);
                if (min >= 0 && max >= min && max <= 3_600_000) {
                    return new long[] {min, max};
                }
            }
        } catch (NumberFormatException e) {
            // Told below, with the rule.
        }
        throw new ParameterException(spec.commandLine(),
                "--interval must be MIN,MAX seconds with 0 <= MIN <= MAX <= 3600, not '" + interval + "'");
    }
}
