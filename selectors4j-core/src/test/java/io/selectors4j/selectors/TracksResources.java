package io.selectors4j.selectors;

import io.selectors4j.net.Socket;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** Test base: everything a test opens through {@link #track} is closed after it, newest first. */
abstract class TracksResources {
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    final void closeTracked() throws Exception {
        for (AutoCloseable resource : resources.reversed()) {
            resource.close();
        }
    }

    final <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }

    /** A tracked socketpair. */
    final Socket.Pair pair() throws IOException {
        Socket.Pair pair = Socket.pair();
        track(pair.first());
        track(pair.second());
        return pair;
    }
}
