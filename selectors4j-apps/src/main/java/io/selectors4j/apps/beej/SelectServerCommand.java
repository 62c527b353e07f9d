package io.selectors4j.apps.beej;

import io.selectors4j.apps.common.Addresses;
import io.selectors4j.apps.common.ConnectionLimitOption;
import io.selectors4j.apps.common.EventLog;
import io.selectors4j.apps.common.IdleTimeoutOption;
import io.selectors4j.apps.common.ListenPortConverter;
import io.selectors4j.apps.common.SelectorBackendOption;
import io.selectors4j.apps.common.ServerCommandOptions;
import io.selectors4j.apps.common.StopSignal;
import io.selectors4j.net.Socket;
import io.selectors4j.selectors.Selector;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code s4j select-server PORT}: logs every connection and every byte received, with one selector. */
@Command(name = "select-server", mixinStandardHelpOptions = true,
        description = {"Log every connection and every byte received, on one selector.",
            "One selector waits for new connections and for data on all of them; each line is in Python's "
                    + "forms."})
public final class SelectServerCommand implements Callable<Integer> {

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

    @Parameters(paramLabel = "PORT", converter = ListenPortConverter.class,
            description = "Port to listen on, 0 for any free port.")
    private int port;

    /** Serves until Ctrl-C or SIGTERM. */
    @Override
    public Integer call() throws IOException {
        EventLog log = server.log(spec.commandLine().getOut());
        StopSignal stop = StopSignal.install();
        try (Selector selector = backend.openSelector(); Socket listener = Addresses.listen(server.host(), port)) {
            stop.wakeWith(selector::wakeup);
            log.line("listening on " + server.host() + " port " + Addresses.port(listener));
            new SelectServer(selector, listener, connections.maxConnections(), idle.idleTimeout(), log, stop).run();
        } finally {
            stop.finished();
        }
        return 0;
    }
}
