package io.selectors4j.apps.chat;

import io.selectors4j.NativeIOException;
import io.selectors4j.apps.common.Addresses;
import io.selectors4j.apps.common.ByteCountConverter;
import io.selectors4j.apps.common.ConnectionLimitOption;
import io.selectors4j.apps.common.EventLog;
import io.selectors4j.apps.common.ListenPortConverter;
import io.selectors4j.apps.common.LoopBackendOption;
import io.selectors4j.apps.common.ServerCommandOptions;
import io.selectors4j.apps.common.StopSignal;
import io.selectors4j.apps.common.TimeoutConverter;
import io.selectors4j.apps.tls.TlsServerOptions;
import io.selectors4j.loop.EventLoop;
import io.selectors4j.loop.Server;
import io.selectors4j.loop.TlsSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code s4j chat-server PORT}: the multi-user chat server on one event loop. Ctrl-C or SIGTERM
 * stops it cleanly: it stops accepting, flushes what its clients are owed and exits with 0.
 */
@Command(name = "chat-server",
        mixinStandardHelpOptions = true,
        description = {"Run the chat server: one room, JSON packets.",
            "Length-prefixed JSON packets (docs/CHAT.md); one log line per join, leave and error."})
public final class ChatServerCommand implements Callable<Integer> {
    private static final Duration GRACE = Duration.ofSeconds(2);

    @Spec
    private CommandSpec spec;

    @Mixin
    private ServerCommandOptions server;

    @Mixin
    private LoopBackendOption backend;

    @Mixin
    private ConnectionLimitOption connections;

    @Mixin
    private TlsServerOptions tls;

    @Parameters(index = "0", paramLabel = "PORT", converter = ListenPortConverter.class,
            description = "Port to listen on, 0 for any free port.")
    private int port;

    @Option(names = "--max-queue", defaultValue = "131072", paramLabel = "BYTES",
            converter = ByteCountConverter.class,
            description = "Drop a client with more than this many bytes waiting to be sent, 1 to 1073741824 "
                    + "(default: ${DEFAULT-VALUE}).")
    private int maxQueue;

    @Option(names = "--hello-timeout", defaultValue = "10", paramLabel = "SECONDS", converter = TimeoutConverter.class,
            description = "Close a connection that has not said hello this long after it came, up to "
                    + "1000000; 0 for never (default: ${DEFAULT-VALUE}).")
    private Duration helloTimeout;

    @Option(names = "--idle-timeout", defaultValue = "0", paramLabel = "SECONDS", converter = TimeoutConverter.class,
            description = "Close a connection that sends and takes nothing for this long, up to 1000000; 0 "
                    + "for never, as a member who only reads a quiet room is still a user (default: ${DEFAULT-VALUE}).")
    private Duration idleTimeout;

    /** Serves until Ctrl-C or SIGTERM. */
    @Override
    public Integer call() throws IOException {
        ChatOptions options = options();
        EventLog log = server.log(spec.commandLine().getOut());
        TlsSettings tlsSettings = TlsServerOptions.forService(tls.settings(spec, server.host()), log, "");
        StopSignal stop = StopSignal.install();
        try (EventLoop loop = backend.openLoop()) {
            Server chat = listen(loop, options, log, tlsSettings);
            log.line("listening on " + server.host() + " port " + ((InetSocketAddress) chat.address()).getPort()
                    + (tlsSettings == null ? "" : " (TLS)"));
            tls.announce(log);
            stop.wakeWith(() -> loop.callSoon(() -> {
                log.line("stopping");
                chat.shutdown(GRACE).whenComplete((done, failure) -> loop.stop());
            }));
            loop.run();
        } finally {
            stop.finished();
        }
        return 0;
    }

    private ChatOptions options() {
        try {
            return new ChatOptions(maxQueue, connections.maxConnections(), helloTimeout, idleTimeout);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private Server listen(EventLoop loop, ChatOptions options, EventLog log, TlsSettings tlsSettings)
            throws IOException {
        try {
            return ChatService.start(loop, Addresses.resolve(server.host(), port), options, log::event, tlsSettings);
        } catch (NativeIOException e) {
            throw Addresses.failure("cannot listen on", server.host(), port, e);
        }
    }
}
