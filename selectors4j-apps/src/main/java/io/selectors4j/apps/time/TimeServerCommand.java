package io.selectors4j.apps.time;

import io.selectors4j.apps.common.Addresses;
import io.selectors4j.apps.common.EventLog;
import io.selectors4j.apps.common.ListenPortConverter;
import io.selectors4j.apps.common.SecondsConverter;
import io.selectors4j.apps.common.SelectorBackendOption;
import io.selectors4j.apps.common.ServerCommandOptions;
import io.selectors4j.apps.common.StopSignal;
import io.selectors4j.net.Socket;
import io.selectors4j.selectors.Selector;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code s4j time-server}: the RFC 868 time service over TCP and UDP on one port number. A TCP
 * connection is answered and closed in the step that accepts it, so the server never holds more than
 * one and needs no connection limit.
 */
@Command(name = "time-server", mixinStandardHelpOptions = true,
        description = {"Serve the time (RFC 868) over TCP and UDP.",
            "A TCP client is answered and closed as it is accepted, so no connection is held and no "
                    + "connection limit or idle timeout is needed."})
public final class TimeServerCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ServerCommandOptions server;

    @Mixin
    private SelectorBackendOption backend;

    @Option(names = "--port", defaultValue = "8037", paramLabel = "PORT", converter = ListenPortConverter.class,
            description = "Port to listen on, TCP and UDP, 0 for any free port (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(names = "--timeout", paramLabel = "SECONDS", converter = SecondsConverter.class,
            description = "Say 'still waiting' after this long with nothing to do; above 0, up to 1000000 "
                    + "(default: never).")
    private Duration timeout;

    /** Serves until Ctrl-C or SIGTERM. */
    @Override
    public Integer call() throws IOException {
        EventLog log = server.log(spec.commandLine().getOut());
        StopSignal stop = StopSignal.install();
        try (Selector selector = backend.openSelector();
             Socket listener = Addresses.listen(server.host(), port);
             Socket udp = Addresses.bindUdp(server.host(), Addresses.port(listener))) {
            stop.wakeWith(selector::wakeup);
            // The classic line, which names no host: the host is named when --host chose it.
            log.line("listening on " + (server.hostGiven() ? server.host() + " " : "") + "port "
                    + Addresses.port(listener));
            new TimeServer(selector, listener, udp, log, Clock.systemUTC(), timeout, stop).run();
        } finally {
            stop.finished();
        }
        return 0;
    }
}
