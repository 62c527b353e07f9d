package io.selectors4j.apps.common;

import io.selectors4j.loop.EventLoop;
import io.selectors4j.loop.LoopBackend;
import io.selectors4j.loop.LoopGroup;
import java.io.IOException;
import java.util.Locale;
import picocli.CommandLine.Option;

/** {@code --backend} of the programs on the event loop: a readiness selector or io_uring. */
public final class LoopBackendOption {

    @Option(names = "--backend", paramLabel = "select|poll|epoll|io_uring",
            converter = LoopBackendConverter.class,
            description = "What the event loop waits with: a readiness call, or io_uring's completions "
                    + "(Linux 5.19 or newer, where it is allowed; the program ends saying why when it is not) "
                    + "(default: the best readiness call here: epoll, else poll, else select).")
    private LoopBackend backend;

    /** The chosen backend, or the default: the best readiness selector here. */
    public LoopBackend backend() {
        return backend == null ? LoopBackend.best() : backend;
    }

    /** The chosen backend's name as the option spells it: {@code epoll}, {@code io_uring}... */
    public String name() {
        return backend().name().toLowerCase(Locale.ROOT);
    }

    /**
     * An event loop on the chosen backend.
     *
     * @throws IOException the backend cannot be opened here; for io_uring the message says why in one line
     */
    public EventLoop openLoop() throws IOException {
        return EventLoop.open(backend());
    }

    /** {@code loops} event loops, each on its own thread, on the chosen backend. */
    public LoopGroup openLoops(int loops) throws IOException {
        return LoopGroup.open(loops, backend());
    }
}
