package io.selectors4j.apps.chat;

import io.selectors4j.apps.common.Addresses;
import io.selectors4j.apps.common.ConnectionLimitOption;
import io.selectors4j.apps.common.EventLog;
import io.selectors4j.apps.common.ServerOptions;
import io.selectors4j.apps.common.StopSignal;
import io.selectors4j.apps.tls.TlsServerOptions;
import io.selectors4j.loop.EventLoop;
import io.selectors4j.loop.Server;
import io.selectors4j.loop.TlsSettings;
import io.selectors4j.net.PythonText;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code s4j chat-server PORT}: the multi-user chat server on one event loop. Ctrl-C or SIGTERM
 * stops it cleanly: it stops accepting, flushes what its clients are owed and exits with 0.
 */
@Command(name = "chat-server",
        mixinStandardHelpOptions = true,
        description = "Runs the chat server: length-prefixed JSON packets, one room, logs joins, leaves and errors.")
public final class ChatServerCommand implements Callable<Integer> {
    private static final Duration GRACE = Duration.ofSeconds(2);

    @Spec
    private CommandSpec spec;

    @Mixin
    private ServerOptions server;

    @Mixin
    private ConnectionLimitOption connections;

    @Mixin
    private TlsServerOptions tls;

    @Parameters(index = "0", paramLabel = "PORT", description = "The port to listen on (0: any free port).")
    private int port;

    @Option(names = "--max-queue", defaultValue = "1048576", paramLabel = "BYTES",
            description = "Drop a client with more than this many bytes waiting to be sent (default: ${DEFAULT-VALUE}).")
    private long maxQueue;

    /** Serves until Ctrl-C or SIGTERM. */
    @Override
    public Integer call() throws IOException {
        ChatOptions options = options();
        checkPort();
        EventLog log = server.log(spec.commandLine().getOut());
        TlsSettings tlsSettings = TlsServerOptions.forService(tls.settings(spec, server.host()), log, "");
        StopSignal stop = StopSignal.install();
        try (EventLoop loop = server.openLoop()) {
            Server chat = ChatService.start(loop, Addresses.resolve(server.host(), port), options, log::event,
                    tlsSettings);
            log.line("chat server listening on " + PythonText.address(chat.address())
                    + (tlsSettings == null ? "" : " (TLS)"));
            tls.announce(log);
            stop.wakeWith(() -> loop.callSoon(() -> chat.shutdown(GRACE).whenComplete((done, failure) -> loop.stop())));
            loop.run();
        } finally {
            stop.finished();
        }
        return 0;
    }

    private ChatOptions options() {
        try {
            return new ChatOptions(maxQueue, connections.maxConnections());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private void checkPort() {
        if (port < 0 || port > 65535) {
            throw new ParameterException(spec.commandLine(), "port must be 0 to 65535: " + port);
        }
    }
}
