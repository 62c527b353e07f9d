package io.selectors4j.apps.common;

import io.selectors4j.loop.EventLoop;
import io.selectors4j.loop.LoopGroup;
import io.selectors4j.selectors.Backend;
import io.selectors4j.selectors.Selector;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/** The options every server shares: the address to bind, the readiness backend, and quiet logging. */
public final class ServerCommandOptions {

    @Option(names = "--host", paramLabel = "HOST",
            description = "Address or name to bind (default: the loopback address 127.0.0.1).")
    private String host;

    @Option(names = "--backend", paramLabel = "select|poll|epoll",
            converter = BackendConverter.class,
            description = "Readiness call to wait with (default: the best available here: epoll, else poll, else select).")
    private Backend backend;

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

    /** A selector on the chosen backend, or the best one. */
    public Selector openSelector() throws IOException {
        return backend == null ? Selector.open() : Selector.open(backend);
    }

    /** An event loop on the chosen backend, or the best one. */
    public EventLoop openLoop() throws IOException {
        return backend == null ? EventLoop.open() : EventLoop.open(backend);
    }

    /** {@code loops} event loops, each on its own thread, on the chosen backend or the best one. */
    public LoopGroup openLoops(int loops) throws IOException {
        return backend == null ? LoopGroup.open(loops) : LoopGroup.open(loops, backend);
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
