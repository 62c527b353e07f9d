package io.selectors4j.apps.time;

import io.selectors4j.Errno;
import io.selectors4j.NativeIOException;
import io.selectors4j.apps.common.Addresses;
import io.selectors4j.apps.common.PortConverter;
import io.selectors4j.apps.common.Reads;
import io.selectors4j.net.Socket;
import io.selectors4j.select.Select;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code s4j time-client}: asks an RFC 868 server for the time, over TCP or UDP, and prints it with its
 * offset from the local clock (the local time taken halfway through the exchange).
 */
@Command(name = "time-client", mixinStandardHelpOptions = true,
        description = {"Ask a time server (RFC 868) for the time.",
            "Prints the time (ISO-8601, UTC) and its offset from the local clock; values after the 2036 wrap "
                    + "are read in era 1."})
public final class TimeClientCommand implements Callable<Integer> {
    private static final int UDP_TRIES = 3;
    private static final Duration UDP_WAIT = Duration.ofSeconds(2);

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "HOST", description = "The time server's host name or address.")
    private String host;

    @Option(names = "--port", defaultValue = "8037", paramLabel = "PORT", converter = PortConverter.class,
            description = "Server port (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(names = "--udp", description = "Ask with a UDP datagram instead of a TCP connection (3 tries, 2 s each).")
    private boolean udp;

    /** Prints {@code TIME, offset +S s from the local clock}. */
    @Override
    public Integer call() throws IOException {
        Clock clock = Clock.systemUTC();
        Instant asked = clock.instant();
        byte[] answer = udp ? askUdp() : askTcp();
        Instant answered = clock.instant();
        Instant local = asked.plus(Duration.between(asked, answered).dividedBy(2));
        Instant remote = Rfc868.decode(answer, 0);
        double offset = Duration.between(local, remote).toNanos() / 1e9;
        PrintWriter out = spec.commandLine().getOut();
        out.println(remote + ", offset " + String.format(Locale.ROOT, "%+.3f", offset) + " s from the local clock");
        out.flush();
        return 0;
    }

    private byte[] askTcp() throws IOException {
        byte[] answer = new byte[4];
        try (Socket socket = Addresses.connect(host, port)) {
            int received = 0;
            while (received < answer.length) {
                int n = Reads.recv(socket, answer, received, answer.length - received);
                if (n <= 0) {
                    throw new IOException("the server closed the connection after " + received + " of 4 bytes");
                }
                received += n;
            }
        }
        return answer;
    }

    private byte[] askUdp() throws IOException {
        InetSocketAddress server = Addresses.resolve(host, port);
        byte[] empty = new byte[0];
        byte[] answer = new byte[64];
        try (Socket socket = server.getAddress() instanceof Inet4Address ? Socket.udp4() : Socket.udp6()) {
            for (int i = 0; i < UDP_TRIES; i++) {
                socket.sendTo(empty, 0, 0, server);
                if (!Select.select(List.of(socket), List.of(), List.of(), UDP_WAIT).readable().isEmpty()) {
                    Socket.Received received = socket.recvFrom(answer);
                    if (received.length() != 4) {
                        throw new IOException("the answer from " + host + " port " + port + " is "
                                + received.length() + " bytes, not 4");
                    }
                    return answer;
                }
            }
        } catch (NativeIOException e) {
            throw new IOException("cannot ask " + host + " port " + port + " over UDP: " + Errno.message(e.errno()), e);
        }
        throw new IOException("no answer from " + host + " port " + port + " over UDP after "
                + UDP_TRIES + " tries");
    }
}
