package io.selectors4j.apps.echo;

import io.selectors4j.apps.tls.Link;
import io.selectors4j.apps.tls.TlsClientOptions;
import io.selectors4j.loop.TlsSettings;
import io.selectors4j.net.PythonText;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code s4j echo-client}: the classic multi-connection client. Every connection sends each message
 * in turn, in lock-step, then reads its echo; every echoed byte is checked and a mismatch exits 1.
 */
@Command(name = "echo-client", mixinStandardHelpOptions = true,
        description = {"Send three messages in lock-step and check every echo.",
            "Each connection sends each message in turn and reads its echo; every echoed byte is checked, "
                    + "and a mismatch exits with 1."})
public final class EchoClientCommand implements Callable<Integer> {
    private static final List<byte[]> MESSAGES = List.of(
            "This is the message. ".getBytes(StandardCharsets.US_ASCII),
            "It will be sent ".getBytes(StandardCharsets.US_ASCII),
            "in parts.".getBytes(StandardCharsets.US_ASCII));

    @Spec
    private CommandSpec spec;

    @Option(names = "--connections", defaultValue = "2", paramLabel = "N",
            description = "Connections to open, 1 to 1000 (default: ${DEFAULT-VALUE}).")
    private int connections;

    @Mixin
    private EchoServerAddress server;

    @Mixin
    private TlsClientOptions tls;

    /** Runs the session; 0 when every echo matched, 1 on a mismatch. */
    @Override
    public Integer call() throws IOException {
        if (connections < 1 || connections > 1000) {
            throw new ParameterException(spec.commandLine(), "--connections must be from 1 to 1000");
        }
        PrintWriter out = spec.commandLine().getOut();
        TlsSettings tlsSettings = tls.settings(spec, server.host());
        List<Link> sockets = new ArrayList<>();
        try {
            server.announce(out);
            for (int i = 0; i < connections; i++) {
                sockets.add(server.connect(tlsSettings));
            }
            for (byte[] message : MESSAGES) {
                for (Link socket : sockets) {
                    say(out, socket, "sending " + PythonText.bytes(message));
                    socket.sendAll(message);
                }
                for (Link socket : sockets) {
                    if (!readEcho(out, socket, message)) {
                        return 1;
                    }
                }
            }
            return 0;
        } finally {
            for (Link socket : sockets) {
                socket.close();
            }
        }
    }

    /** Reads until the whole echo of {@code message} is in; false (told on stderr) when it differs. */
    private boolean readEcho(PrintWriter out, Link socket, byte[] message) throws IOException {
        byte[] echo = new byte[message.length];
        int received = 0;
        while (received < message.length) {
            int n = socket.recv(echo, received, message.length - received, false);
            if (n <= 0) {
                return mismatch(socket, "the server closed the connection after " + received + " of "
                        + message.length + " bytes");
            }
            say(out, socket, "received " + PythonText.bytes(echo, received, n));
            received += n;
        }
        if (!Arrays.equals(echo, message)) {
            return mismatch(socket, "sent " + PythonText.bytes(message) + " but received " + PythonText.bytes(echo));
        }
        return true;
    }

    private boolean mismatch(Link socket, String what) throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        err.println(spec.qualifiedName() + ": " + PythonText.address(socket.localAddress()) + ": " + what);
        err.flush();
        return false;
    }

    private static void say(PrintWriter out, Link socket, String what) throws IOException {
        out.println(PythonText.address(socket.localAddress()) + ": " + what);
        out.flush();
    }
}
