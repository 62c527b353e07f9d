package io.selectors4j.apps.common;

import io.selectors4j.loop.ServerOptions;
import java.time.Duration;

/**
 * The one place where the loop servers' {@code --idle-timeout} options (serve's echo and chat,
 * chat-server) reach the event loop's {@link ServerOptions}.
 */
public final class LoopIdleTimeout {
    private LoopIdleTimeout() {
    }

    /**
     * {@code options} with connections closed after {@code idleTimeout} without progress
     * ({@link Duration#ZERO}: never).
     */
    public static ServerOptions apply(ServerOptions options, Duration idleTimeout) {
        // IDLE-TIMEOUT WIRING: the core's ServerOptions.withIdleTimeout(Duration) is being built on
        // another branch; once it is merged this line becomes
        //     return options.withIdleTimeout(idleTimeout);
        // Until then the loop servers parse and show the option but the loop does not enforce it.
        return options;
    }
}
