package io.selectors4j.apps.chat;

import io.selectors4j.loop.EventLoop;
import io.selectors4j.loop.Server;
import io.selectors4j.net.PythonText;
import io.selectors4j.selectors.Backend;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code s4j chat-server PORT}: the multi-user chat server on one event loop. Ctrl-C or SIGTERM
 * stops it cleanly: it stops accepting, flushes what its clients are owed and exits with 0.
 */
@Command(name = "chat-server",
        mixinStandardHelpOptions = true,
        description = "Runs the chat server: length-prefixed JSON packets, one room, logs joins, leaves and errors.")
public final class ChatServerCommand implements Callable<Integer> {
    private static final Duration GRACE = Duration.ofSeconds(2);

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PORT", description = "The port to listen on (0: any free port).")
    private int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "HOST", description = "The address to listen on (default: ${DEFAULT-VALUE}).")
    private String host;

    @Option(names = "--quiet", description = "Print no line per event.")
    private boolean quiet;

    @Option(names = "--max-queue", defaultValue = "1048576", paramLabel = "BYTES",
            description = "Drop a client with more than this many bytes waiting to be sent (default: ${DEFAULT-VALUE}).")
    private long maxQueue;

    @Option(names = "--max-connections", defaultValue = "0", paramLabel = "N",
            description = "At most N clients at once; 0 for no limit (default: ${DEFAULT-VALUE}).")
    private int maxConnections;

    @Option(names = "--backend", paramLabel = "select|poll|epoll",
            description = "The readiness call to wait with (default: the best available).")
    private String backend;

    @Override
    public Integer call() throws IOException, InterruptedException {
        ChatOptions options = options();
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(host), port(port));
        PrintWriter out = spec.commandLine().getOut();
        Consumer<String> log = quiet ? line -> { } : line -> print(out, line);
        try (EventLoop loop = backend == null ? EventLoop.open() : EventLoop.open(backend(backend))) {
            Server server = ChatService.start(loop, address, options, log);
            print(out, "chat server listening on " + PythonText.address(server.address()));
            CountDownLatch finished = new CountDownLatch(1);
            Thread stop = new Thread(() -> stop(loop, server, finished), "chat-server-stop");
            Runtime.getRuntime().addShutdownHook(stop);
            try {
                loop.run();
            } finally {
                finished.countDown();
            }
        }
        return 0;
    }

    /** On Ctrl-C or SIGTERM: stop accepting, let connections flush, stop the loop, exit with 0. */
    private static void stop(EventLoop loop, Server server, CountDownLatch finished) {
        loop.callSoon(() -> server.shutdown(GRACE).whenComplete((done, failure) -> loop.stop()));
        boolean clean;
        try {
            clean = finished.await(GRACE.toSeconds() + 5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            clean = false;
        }
        System.out.flush();
        Runtime.getRuntime().halt(clean ? 0 : 2);
    }

    private static void print(PrintWriter out, String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    private ChatOptions options() {
        try {
            return new ChatOptions(maxQueue, maxConnections);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private int port(int value) {
        if (value < 0 || value > 65535) {
            throw new ParameterException(spec.commandLine(), "port must be 0 to 65535: " + value);
        }
        return value;
    }

    private Backend backend(String name) {
        try {
            Backend chosen = Backend.valueOf(name.toUpperCase(Locale.ROOT));
            if (!chosen.isAvailable()) {
                throw new ParameterException(spec.commandLine(), name + " is not available on this system");
            }
            return chosen;
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "backend must be select, poll or epoll: " + name);
        }
    }
}
