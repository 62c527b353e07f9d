package io.selectors4j.apps.common;

import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * {@code --idle-timeout SECONDS} for the selector servers: a connection that makes no progress (no byte
 * received or sent) for that long is closed, so that no client holds a place forever. The default, 60 s,
 * is nginx's for a client that sends nothing ({@code client_header_timeout}) or reads nothing
 * ({@code send_timeout}).
 */
public final class IdleTimeoutOption {
    /** The default limit, as the option's text. */
    public static final String DEFAULT = "60";

    @Option(names = "--idle-timeout", defaultValue = DEFAULT, paramLabel = "SECONDS", converter = TimeoutConverter.class,
            description = "Close a connection that sends and takes nothing for this long, up to 1000000; 0 "
                    + "for never (default: ${DEFAULT-VALUE}).")
    private Duration idleTimeout;

    /** The limit; {@link Duration#ZERO} for none. */
    public Duration idleTimeout() {
        return idleTimeout;
    }
}
