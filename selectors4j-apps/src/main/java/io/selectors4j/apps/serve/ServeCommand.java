package io.selectors4j.apps.serve;

import io.selectors4j.apps.common.ByteCountConverter;
import io.selectors4j.apps.common.ConnectionCountConverter;
import io.selectors4j.apps.common.ConnectionLimitOption;
import io.selectors4j.apps.common.EventLog;
import io.selectors4j.apps.common.IdleTimeoutOption;
import io.selectors4j.apps.common.LoopBackendOption;
import io.selectors4j.apps.common.OptionalPortConverter;
import io.selectors4j.apps.common.ServerCommandOptions;
import io.selectors4j.apps.common.StopSignal;
import io.selectors4j.apps.common.TimeoutConverter;
import io.selectors4j.apps.tls.TlsServerOptions;
import io.selectors4j.loop.LoopGroup;
import io.selectors4j.loop.TlsSettings;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code s4j serve}: echo, time and chat together on the event loop, one log line per event, until
 * Ctrl-C or SIGTERM, when every connection is flushed and closed and the exit code is 0.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Run the echo, time and chat services on the event loop.",
            "Echo on port 10000, the time (RFC 868) on 8037 over TCP and UDP, and chat on 3490, one log line "
                    + "per event, until Ctrl-C or SIGTERM."})
public final class ServeCommand implements Callable<Integer> {
    private static final Duration GRACE = Duration.ofSeconds(3);

    @Spec
    private CommandSpec spec;

    @Mixin
    private ServerCommandOptions server;

    @Mixin
    private LoopBackendOption backend;

    @Option(names = "--echo-port", defaultValue = "10000", paramLabel = "PORT", converter = OptionalPortConverter.class,
            description = "Echo port, 0 to turn echo off (default: ${DEFAULT-VALUE}).")
    private int echoPort;

    @Option(names = "--time-port", defaultValue = "8037", paramLabel = "PORT", converter = OptionalPortConverter.class,
            description = "Time (RFC 868) port, TCP and UDP, 0 to turn it off (default: ${DEFAULT-VALUE}).")
    private int timePort;

    @Option(names = "--chat-port", defaultValue = "3490", paramLabel = "PORT", converter = OptionalPortConverter.class,
            description = "Chat port, 0 to turn chat off (default: ${DEFAULT-VALUE}).")
    private int chatPort;

    @Option(names = "--loops", defaultValue = "1", paramLabel = "N",
            description = "Event loops, 1 to 256, each on its own thread with its own listeners "
                    + "(default: ${DEFAULT-VALUE}).")
    private int loops;

    @Option(names = "--max-connections", defaultValue = ConnectionLimitOption.DEFAULT, paramLabel = "N",
            converter = ConnectionCountConverter.class,
            description = "At most N clients at once for each TCP service (echo, time and chat each); at the "
                    + "limit new ones wait in the listen backlog until one leaves; 0 for no limit "
                    + "(default: ${DEFAULT-VALUE}).")
    private int maxConnections;

    @Option(names = "--echo-high-water", defaultValue = "65536", paramLabel = "BYTES",
            converter = ByteCountConverter.class,
            description = "Echo stops reading from a client with more than this many bytes queued for it, "
                    + "1 to 1073741824 (default: ${DEFAULT-VALUE}).")
    private int echoHighWater;

    @Option(names = "--echo-low-water", defaultValue = "16384", paramLabel = "BYTES",
            converter = ByteCountConverter.class,
            description = "... and reads again once its queue is down to this many, 1 up to the high "
                    + "water (default: ${DEFAULT-VALUE}).")
    private int echoLowWater;

    @Option(names = "--chat-max-queue", defaultValue = "131072", paramLabel = "BYTES",
            converter = ByteCountConverter.class,
            description = "Chat drops a client with more than this many bytes waiting to be sent, 1 to "
                    + "1073741824 (default: ${DEFAULT-VALUE}).")
    private int chatMaxQueue;

    @Option(names = "--echo-idle-timeout", defaultValue = IdleTimeoutOption.DEFAULT, paramLabel = "SECONDS",
            converter = TimeoutConverter.class,
            description = "Echo closes a connection that sends and takes nothing for this long, up to "
                    + "1000000; 0 for never (default: ${DEFAULT-VALUE}).")
    private Duration echoIdleTimeout;

    @Option(names = "--chat-hello-timeout", defaultValue = "10", paramLabel = "SECONDS", converter = TimeoutConverter.class,
            description = "Chat closes a connection that has not said hello this long after it came, up to "
                    + "1000000; 0 for never (default: ${DEFAULT-VALUE}).")
    private Duration chatHelloTimeout;

    @Option(names = "--chat-idle-timeout", defaultValue = "0", paramLabel = "SECONDS", converter = TimeoutConverter.class,
            description = "Chat closes a connection that sends and takes nothing for this long, up to "
                    + "1000000; 0 for never, as a member who only reads a quiet room is still a user "
                    + "(default: ${DEFAULT-VALUE}).")
    private Duration chatIdleTimeout;

    @Mixin
    private TlsServerOptions tls;

    /** Serves until Ctrl-C or SIGTERM. */
    @Override
    public Integer call() throws IOException, InterruptedException, ExecutionException {
        if (loops < 1 || loops > 256) {
            throw new ParameterException(spec.commandLine(), "--loops must be from 1 to 256, not " + loops);
        }
        if (echoPort == 0 && timePort == 0 && chatPort == 0) {
            throw new ParameterException(spec.commandLine(), "every service is turned off: nothing to serve");
        }
        ServeLimits limits = limits();
        EventLog log = server.log(spec.commandLine().getOut());
        TlsSettings tlsSettings = tls.settings(spec, server.host());
        CountDownLatch stopAsked = new CountDownLatch(1);
        StopSignal stop = StopSignal.install();
        stop.wakeWith(stopAsked::countDown);
        try (LoopGroup group = backend.openLoops(loops)) {
            Services services = new Services(group, log, server.host(), limits, tlsSettings);
            try {
                if (echoPort != 0) {
                    services.startEcho(echoPort);
                }
                if (timePort != 0) {
                    services.startTime(timePort);
                }
                if (chatPort != 0) {
                    services.startChat(chatPort);
                }
                tls.announce(log);
                log.line("serve: running on " + loops + (loops == 1 ? " event loop" : " event loops")
                        + " (" + backend.name() + "); Ctrl-C stops");
                stopAsked.await();
                log.line("serve: stopping");
            } finally {
                awaitShutdown(services);
            }
        } finally {
            stop.finished();
        }
        return 0;
    }

    private ServeLimits limits() {
        try {
            return new ServeLimits(maxConnections, echoHighWater, echoLowWater, chatMaxQueue, echoIdleTimeout,
                    chatHelloTimeout, chatIdleTimeout);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private static void awaitShutdown(Services services) throws InterruptedException, ExecutionException {
        try {
            services.shutdown(GRACE).get(GRACE.multipliedBy(2).toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the event loops did not stop within " + GRACE.multipliedBy(2).toSeconds() + " s", e);
        }
    }
}
