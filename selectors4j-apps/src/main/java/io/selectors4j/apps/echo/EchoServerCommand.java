package io.selectors4j.apps.echo;

import io.selectors4j.apps.common.Addresses;
import io.selectors4j.apps.common.ByteCountConverter;
import io.selectors4j.apps.common.ConnectionLimitOption;
import io.selectors4j.apps.common.EventLog;
import io.selectors4j.apps.common.IdleTimeoutOption;
import io.selectors4j.apps.common.ListenPortConverter;
import io.selectors4j.apps.common.SecondsConverter;
import io.selectors4j.apps.common.SelectorBackendOption;
import io.selectors4j.apps.common.ServerCommandOptions;
import io.selectors4j.apps.common.StopSignal;
import io.selectors4j.net.Socket;
import io.selectors4j.selectors.Selector;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code s4j echo-server}: the classic select echo server, written on the selectors API. */
@Command(name = "echo-server", mixinStandardHelpOptions = true,
        description = {"Echo every byte back, logging each event.",
            "The classic select echo server on the selectors API: one output queue per connection, WRITE "
                    + "interest only while it holds data."})
public final class EchoServerCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ServerCommandOptions server;

    @Mixin
    private SelectorBackendOption backend;

    @Mixin
    private ConnectionLimitOption connections;

    @Mixin
    private IdleTimeoutOption idle;

    @Option(names = "--max-queue", defaultValue = "65536", paramLabel = "BYTES", converter = ByteCountConverter.class,
            description = "The most bytes queued for one client, 1 to 1073741824; with a full queue the server stops reading "
                    + "from that client until it drains (default: ${DEFAULT-VALUE}).")
    private int maxQueue;

    @Option(names = "--port", defaultValue = "10000", paramLabel = "PORT", converter = ListenPortConverter.class,
            description = "Port to listen on, 0 for any free port (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(names = "--timeout", paramLabel = "SECONDS", converter = SecondsConverter.class,
            description = "Wait at most this long for an event, then say so; above 0, up to 1000000 "
                    + "(default: wait forever).")
    private Duration timeout;

    /** Serves until Ctrl-C or SIGTERM. */
    @Override
    public Integer call() throws IOException {
        EchoLimits limits = new EchoLimits(connections.maxConnections(), maxQueue, idle.idleTimeout());
        String host = server.host("localhost");
        EventLog log = server.log(spec.commandLine().getOut());
        StopSignal stop = StopSignal.install();
        try (Selector selector = backend.openSelector(); Socket listener = Addresses.listen(host, port)) {
            stop.wakeWith(selector::wakeup);
            log.line("starting up on " + host + " port " + Addresses.port(listener));
            new EchoServer(selector, listener, limits, log, timeout, stop).run();
        } finally {
            stop.finished();
        }
        return 0;
    }
}
