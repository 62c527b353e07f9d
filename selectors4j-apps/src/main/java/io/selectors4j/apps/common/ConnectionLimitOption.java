package io.selectors4j.apps.common;

import picocli.CommandLine.Option;

/**
 * {@code --max-connections N}, the same for every server: at most N clients at once. At the limit the
 * server stops accepting; new connections wait in the kernel's listen backlog and are taken as soon as
 * a client leaves.
 */
public final class ConnectionLimitOption {
    /** The default limit, as the option's text: high enough not to be met by accident, low enough to bound memory. */
    public static final String DEFAULT = "10000";

    @Option(names = "--max-connections", defaultValue = DEFAULT, paramLabel = "N",
            converter = ConnectionCountConverter.class,
            description = "At most N clients at once; at the limit new ones wait in the listen backlog "
                    + "until one leaves; 0 for no limit (default: ${DEFAULT-VALUE}).")
    private int maxConnections;

    /** The limit, 0 for none. */
    public int maxConnections() {
        return maxConnections;
    }
}
