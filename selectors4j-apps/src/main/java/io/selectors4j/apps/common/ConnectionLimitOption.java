package io.selectors4j.apps.common;

import picocli.CommandLine.Option;

/**
 * {@code --max-connections N}, the same for every server: at most N clients at once. At the limit the
 * server stops accepting; new connections wait in the kernel's listen backlog and are taken as soon as
 * a client leaves.
 *
 * <p>The default, 1,000, is set with the queue bounds so that what the clients can make a server hold
 * at the defaults fits the JVM's default heap on a small machine (2 GiB of memory, so a 512 MiB heap):
 * serve, the largest, at most about 380 MiB (docs/RELIABILITY.md, the limits table). More connections
 * need a larger heap ({@code -Xmx}) or smaller queues.
 */
public final class ConnectionLimitOption {
    /** The default limit, as the option's text. */
    public static final String DEFAULT = "1000";

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
