package io.selectors4j.apps.common;

import io.selectors4j.selectors.Backend;
import io.selectors4j.selectors.Selector;
import java.io.IOException;
import picocli.CommandLine.Option;

/** {@code --backend} of the programs that wait with a selector themselves: select, poll or epoll. */
public final class SelectorBackendOption {

    @Option(names = "--backend", paramLabel = "select|poll|epoll",
            converter = BackendConverter.class,
            description = "Readiness call to wait with (default: the best available here: epoll, else poll, "
                    + "else select). No io_uring: this program waits with a selector itself.")
    private Backend backend;

    /** A selector on the chosen backend, or the best one. */
    public Selector openSelector() throws IOException {
        return backend == null ? Selector.open() : Selector.open(backend);
    }
}
