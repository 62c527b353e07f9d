package io.selectors4j.apps.common;

import java.io.PrintWriter;
import picocli.CommandLine.Option;

/**
 * The options every server shares: the address to bind and quiet logging. The backend is an option of
 * its own, as the programs on the event loop accept io_uring and those on a selector do not
 * ({@link LoopBackendOption}, {@link SelectorBackendOption}).
 */
public final class ServerCommandOptions {

    @Option(names = "--host", paramLabel = "HOST",
            description = "Address or name to bind (default: the loopback address 127.0.0.1).")
    private String host;

    @Option(names = "--quiet", description = "Print no line per event, only the start-up lines.")
    private boolean quiet;

    /** Whether {@code --host} was given. */
    public boolean hostGiven() {
        return host != null;
    }

    /** The host to bind as the user wrote it, or {@code 127.0.0.1}. */
    public String host() {
        return host("127.0.0.1");
    }

    /**
     * The host to bind as the user wrote it, or {@code loopbackName}: a program whose classic form says
     * {@code localhost} passes that name, which {@link Addresses#resolve} turns into 127.0.0.1.
     */
    public String host(String loopbackName) {
        return host == null ? loopbackName : host;
    }

    /** The event log on {@code out}, quiet when asked. */
    public EventLog log(PrintWriter out) {
        return new EventLog(out, quiet);
    }

    /** Whether {@code --quiet} was given. */
    public boolean quiet() {
        return quiet;
    }
}
