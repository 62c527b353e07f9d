package io.selectors4j.apps.bench;

import io.selectors4j.ResourceLimits;
import io.selectors4j.apps.common.LoopBackendConverter;
import io.selectors4j.apps.tls.TlsClientOptions;
import io.selectors4j.loop.LoopBackend;
import io.selectors4j.loop.TlsSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code s4j bench}: the echo load generator. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Drive echo traffic at a server and measure it.",
            "Sends to the echo server at HOST:PORT, checks every byte that comes back, and prints requests/s, "
                    + "MB/s and latency percentiles. Exit code 1 when a byte came back wrong or a connection "
                    + "was lost."})
public final class BenchCommand implements Callable<Integer> {
    /** Descriptors kept free beyond one per connection: the JVM's own files, the selector. */
    private static final int SPARE_FILES = 64;
    /** Messages in flight per connection at most: each one's start time is kept. */
    private static final int MAX_PIPELINE = 4096;
    /** Load threads at most. */
    private static final int MAX_THREADS = 256;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "HOST:PORT", converter = Targets.class, description = "The echo server.")
    private InetSocketAddress target;

    @Option(names = {"-c", "--connections"}, paramLabel = "N", defaultValue = "1",
            description = "Connections, 1 or more (within the open-files limit, which is raised as far as "
                    + "allowed) (default: ${DEFAULT-VALUE}).")
    private int connections;

    @Option(names = {"-s", "--size"}, paramLabel = "BYTES", defaultValue = "64",
            description = "Bytes per message, 1 or more (default: ${DEFAULT-VALUE}).")
    private int size;

    @Option(names = {"-d", "--duration"}, paramLabel = "D", defaultValue = "10s", converter = Durations.class,
            description = "Measured time, above 0: 10, 10s, 500ms, 2m (default: ${DEFAULT-VALUE}).")
    private long durationNanos;

    @Option(names = "--warmup", paramLabel = "D", defaultValue = "1s", converter = Durations.class,
            description = "Load before measuring, 0 or more, written as --duration (default: ${DEFAULT-VALUE}).")
    private long warmupNanos;

    @Option(names = {"-k", "--pipeline"}, paramLabel = "K", defaultValue = "1",
            description = "Messages in flight per connection, 1 to 4096 (default: ${DEFAULT-VALUE}).")
    private int pipeline;

    @Option(names = {"-r", "--rate"}, paramLabel = "R", defaultValue = "0",
            description = "Fixed total rate in requests/s, up to 1e9, latency measured from each intended send "
                    + "time; 0 sends the next message as soon as one comes back (default: ${DEFAULT-VALUE}).")
    private double rate;

    @Option(names = {"-t", "--threads"}, paramLabel = "T", defaultValue = "1",
            description = "Load threads, each with its own selector (an event loop with TLS, --reconnect or "
                    + "--backend io_uring), 1 to 256 and at most --connections (default: ${DEFAULT-VALUE}).")
    private int threads;

    @Option(names = "--backend", paramLabel = "select|poll|epoll|io_uring", converter = LoopBackendConverter.class,
            description = "What each load thread waits with: a readiness call, or io_uring's completions, which "
                    + "run every thread on an event loop (closed loop only, no --rate) (default: the best "
                    + "readiness call here: epoll, else poll, else select).")
    private LoopBackend backend;

    @Mixin
    private TlsClientOptions tls;

    @Option(names = "--tls-ciphers", paramLabel = "LIST", split = ",",
            description = "Offer only these cipher suites (JSSE names, comma-separated), such as "
                    + "TLS_AES_128_GCM_SHA256 (default: the JDK's).")
    private String[] ciphers;

    @Option(names = "--reconnect",
            description = "A new connection for every request: connect, handshake (a full one, no session "
                    + "resumption), one echo, close; --connections of them at once. Measures connections "
                    + "(or TLS handshakes) per second.")
    private boolean reconnect;

    @Option(names = "--json", description = "Print the result as JSON.")
    private boolean json;

    @Option(names = "--csv", description = "Print the result as a CSV header and row.")
    private boolean csv;

    @Option(names = "--plot", paramLabel = "FILE.png",
            description = "Write the latency distribution as a PNG chart (default: none).")
    private Path plot;

    @Option(names = "--progress", description = "Show the progress line even when stderr is not a terminal.")
    private boolean progress;

    @Option(names = "--phase-marks",
            description = "Print 'connected', 'measure' and 'done' on stderr as the measured window opens and "
                    + "closes (before any connection closes), for scripts that sample the server over it.")
    private boolean phaseMarks;

    /** Runs the load and prints the result. */
    @Override
    public Integer call() throws IOException, InterruptedException {
        LoadPlan plan = plan(tlsSettings());
        ensureOpenFiles();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean terminal = System.console() != null && System.console().isTerminal();
        ProgressLine line = new ProgressLine(err, progress || terminal, terminal, phaseMarks);
        Measurement measurement = new LoadGenerator(plan).run(line);
        BenchResult result = BenchResult.of(measurement);
        if (json) {
            ResultWriter.json(result, out);
        } else if (csv) {
            ResultWriter.csv(result, out);
        } else {
            ResultWriter.text(result, out);
        }
        if (plot != null) {
            LatencyPlot.write(measurement.latencies(), String.format(Locale.ROOT,
                    "%s: %d connections, %d B, pipeline %d", result.target(), plan.connections(), plan.size(),
                    plan.pipeline()), plot);
        }
        if (result.requests() == 0) {
            err.println("bench: no request was echoed in full within the measured window");
            err.flush();
        }
        if (!result.clean()) {
            err.println("bench: " + result.mismatches() + " mismatched and " + result.connectionErrors()
                    + " lost connections; first: " + result.firstProblem());
            err.flush();
            return 1;
        }
        return 0;
    }

    private TlsSettings tlsSettings() throws IOException {
        TlsSettings settings = tls.settings(spec, target.getHostString());
        if (ciphers != null) {
            require(settings != null, "--tls-ciphers needs --tls");
            try {
                settings = settings.withCipherSuites(ciphers);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        return settings;
    }

    private LoadPlan plan(TlsSettings tlsSettings) {
        require(connections >= 1, "--connections must be at least 1");
        require(size >= 1, "--size must be at least 1");
        require(pipeline >= 1 && pipeline <= MAX_PIPELINE, "--pipeline must be between 1 and " + MAX_PIPELINE);
        require(threads >= 1 && threads <= MAX_THREADS, "--threads must be between 1 and " + MAX_THREADS);
        require(threads <= connections, "--threads cannot exceed --connections");
        require(durationNanos > 0, "--duration must be positive");
        require(rate >= 0 && Double.isFinite(rate), "--rate must be 0 or a positive number");
        require(rate == 0 || rate <= 1e9, "--rate cannot exceed 1e9 requests/s");
        require(!(json && csv), "--json and --csv cannot be used together");
        LoopBackend waitWith = backend == null ? LoopBackend.best() : backend;
        require(rate == 0 || (tlsSettings == null && !reconnect), "--rate is not offered with TLS or --reconnect");
        require(rate == 0 || waitWith != LoopBackend.IO_URING, "--rate is not offered with --backend io_uring");
        require(!reconnect || pipeline == 1, "--reconnect sends one message per connection: no --pipeline");
        return new LoadPlan(target, connections, size, warmupNanos, durationNanos, pipeline, rate, threads,
                tlsSettings, reconnect, waitWith);
    }

    private void require(boolean condition, String message) {
        if (!condition) {
            throw new ParameterException(spec.commandLine(), message);
        }
    }

    /** Raises the open-files limit so that every connection gets a descriptor, or says why it cannot. */
    private void ensureOpenFiles() throws IOException {
        long needed = (long) connections + SPARE_FILES;
        long soft = ResourceLimits.raiseOpenFiles(needed);
        if (soft < needed) {
            throw new IOException(connections + " connections need " + needed + " open files but the limit is "
                    + soft + " (the hard limit); raise it with 'ulimit -Hn' as root or use fewer connections");
        }
    }
}
