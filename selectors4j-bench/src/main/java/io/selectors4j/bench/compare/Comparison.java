package io.selectors4j.bench.compare;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The side-by-side comparison of echo servers, started by {@code selectors4j-bench/run-comparison.sh}
 * (see docs/BENCHMARKS.md): every workload against every server in {@code servers.conf}, in
 * interleaved rounds, then memory per idle connection, then the tables and charts in {@code docs/}.
 *
 * <p>Options: {@code --root DIR} (the repository), {@code --java-home DIR}, {@code --servers FILE},
 * {@code --quick}, {@code --rounds N}, {@code --workloads a,c} (g only when named), {@code --only NAME,NAME},
 * {@code --no-idle}, {@code --command TEXT} (how it was started, for the report), {@code --report FILE}
 * (where the tables go instead of docs/BENCHMARKS.md, the charts beside it: for a run that must not
 * replace the page's reference sections).
 */
public final class Comparison {
    private final Path root;
    private final Path javaHome;
    private final Path servers;
    private final boolean quick;
    private final int rounds;
    private final List<String> workloadIds;
    private final List<String> only;
    private final boolean idle;
    private final String command;
    private final Path report;

    private Comparison(Map<String, String> options) {
        root = Path.of(options.getOrDefault("root", ".")).toAbsolutePath().normalize();
        javaHome = Path.of(options.getOrDefault("java-home", System.getProperty("java.home")));
        servers = Path.of(options.getOrDefault("servers", root.resolve("selectors4j-bench/servers.conf").toString()));
        quick = options.containsKey("quick");
        rounds = Integer.parseInt(options.getOrDefault("rounds", quick ? "2" : "5"));
        workloadIds = options.containsKey("workloads") ? Arrays.asList(options.get("workloads").split(",")) : List.of();
        only = options.containsKey("only") ? Arrays.asList(options.get("only").split(",")) : List.of();
        idle = !options.containsKey("no-idle");
        command = options.getOrDefault("command", "selectors4j-bench/run-comparison.sh");
        report = options.containsKey("report") ? Path.of(options.get("report")).toAbsolutePath() : null;
    }

    /** Runs the comparison; exit code 1 on a usage error, 2 when nothing could be measured. */
    public static void main(String[] args) throws IOException, InterruptedException {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i].replaceFirst("^--", "");
            boolean flag = List.of("quick", "no-idle").contains(name);
            if (!args[i].startsWith("--") || (!flag && i + 1 >= args.length)) {
                System.err.println("usage: Comparison --root DIR [--java-home DIR] [--servers FILE] [--quick] "
                        + "[--rounds N] [--workloads a,b] [--only NAME,NAME] [--no-idle] [--command TEXT] "
                        + "[--report FILE]");
                System.exit(1);
            }
            options.put(name, flag ? "" : args[++i]);
        }
        System.exit(new Comparison(options).run());
    }

    private int run() throws IOException, InterruptedException {
        String loadAtStart = Machine.load();
        String warmup = quick ? "1s" : "3s";
        String duration = quick ? "2s" : "10s";
        long durationNanos = TimeUnit.SECONDS.toNanos(quick ? 2 : 10);
        Path java = javaHome.resolve("bin/java");
        Map<String, String> values = Map.of("java", java.toString(),
                "bench", root.resolve("selectors4j-bench/target/benchmarks.jar").toString(),
                "s4j", root.resolve("selectors4j-apps/target/s4j.jar").toString(),
                "statsagent", root.resolve("selectors4j-bench/target/stats-agent.jar").toString(),
                "cbuild", root.resolve("selectors4j-bench/target/c").toString());
        List<ServerSpec> specs = new ArrayList<>();
        for (ServerSpec spec : ServerSpec.read(servers)) {
            if (only.isEmpty() || only.contains(spec.name())) {
                specs.add(spec);
            }
        }
        int manyConnections = (int) Math.min(10_000, Machine.openFilesLimit()[1] - 200);
        List<Workload> workloads = workloadIds.isEmpty() ? Workload.all(manyConnections)
                : Stream.concat(Workload.all(manyConnections).stream(), Workload.onRequest().stream())
                        .filter(w -> workloadIds.contains(w.id())).toList();
        SyscallCounter syscalls = SyscallCounter.probe();
        if (!syscalls.available()) {
            System.out.println("perf cannot count raw_syscalls:sys_enter here: no system-call column");
        }
        ProcFacts proc = new ProcFacts(clockTicks());
        LoadRun load = new LoadRun(List.of(java.toString(), "--enable-native-access=ALL-UNNAMED", "-jar",
                values.get("s4j")), proc, syscalls);
        Results plain = new Results();
        Results tls = new Results();
        for (ServerSpec spec : specs) {
            String program = spec.commandLine(values, 0, 1).getFirst();
            if (program.startsWith("/") && !Files.isExecutable(Path.of(program))) {
                plain.skip(spec.name(), program + " was not built (no C compiler?)");
            }
        }
        for (Workload workload : workloads) {
            for (int round = 1; round <= rounds; round++) {
                for (ServerSpec spec : specs) {
                    Results results = spec.tls() ? tls : plain;
                    if (!results.isSkipped(spec.name()) && spec.tls() == workload.tls()) {
                        measure(workload, round, spec, values, load, warmup, duration, durationNanos, results);
                    }
                }
            }
        }
        if (idle) {
            IdleMemory memory = new IdleMemory(new HeapInfo(javaHome));
            for (ServerSpec spec : specs) {
                Results results = spec.tls() ? tls : plain;
                if (!results.isSkipped(spec.name())) {
                    measureIdle(spec, values, memory, spec.tls() ? Math.min(IdleMemory.TLS_CONNECTIONS,
                            manyConnections) : manyConnections, results);
                }
            }
        }
        Machine machine = Machine.here(Runtime.version() + " (" + System.getProperty("java.vendor") + ")",
                loadAtStart);
        List<String> fixedLoops = specs.stream().filter(spec -> !spec.takesThreads()).map(ServerSpec::name).toList();
        boolean wrote = false;
        for (Report.Kind kind : Report.Kind.values()) {
            Results results = kind == Report.Kind.TLS ? tls : plain;
            boolean ran = specs.stream().anyMatch(spec -> spec.tls() == (kind == Report.Kind.TLS))
                    && (!results.samples().isEmpty() || !results.idle().isEmpty());
            if (ran) {
                write(kind, results, machine, rounds, warmup, duration, manyConnections, syscalls.available(),
                        fixedLoops);
                wrote |= !results.samples().isEmpty();
            }
        }
        return !wrote && !idle ? 2 : 0;
    }

    /** Writes one kind's charts and its section of docs/BENCHMARKS.md, or of the {@code --report} file. */
    private void write(Report.Kind kind, Results results, Machine machine, int rounds, String warmup, String duration,
                       int manyConnections, boolean perf, List<String> fixedLoops) throws IOException {
        Path page = report != null ? report : root.resolve("docs/BENCHMARKS.md");
        Path charts = page.getParent();
        Files.createDirectories(charts);
        if (!results.samples().isEmpty()) { // a run of idle memory alone has nothing to chart
            Charts.write(results, "Requests per second, relative to the fastest server of each workload",
                    "fraction of the best", Sample::requestsPerSecond, true, charts.resolve(kind.requestsChart));
            Charts.write(results, "p99 latency, relative to the lowest of each workload", "times the best",
                    Sample::p99Micros, false, charts.resolve(kind.p99Chart));
        }
        Report.write(page, kind, Report.markdown(kind, results, machine, command, rounds,
                warmup, duration, manyConnections, perf, quick, fixedLoops));
        System.out.println("wrote " + page + " (" + kind.heading + ")" + (results.samples().isEmpty() ? ""
                : ", " + charts.resolve(kind.requestsChart) + ", " + charts.resolve(kind.p99Chart)));
    }

    private static void measure(Workload workload, int round, ServerSpec spec, Map<String, String> values, LoadRun load,
                                String warmup, String duration, long durationNanos, Results results)
            throws InterruptedException {
        String label = String.format(Locale.ROOT, "(%s) round %d %s", workload.id(), round, spec.name());
        try {
            int port = freePort();
            try (ServerProcess server = ServerProcess.start(spec, spec.commandLine(values, port, workload.threads()),
                    port, workload.pinned())) {
                Sample s = load.run(workload, server, port, warmup, duration, durationNanos);
                results.add(workload, spec.name(), s);
                System.out.printf(Locale.ROOT, "%-28s %,12.0f req/s  p99 %,9.0f us  %s%n", label,
                        s.requestsPerSecond(), s.p99Micros(), s.clean() ? "" : "BYTES WRONG OR CONNECTIONS LOST");
            }
        } catch (ServerProcess.Unavailable e) {
            results.skip(spec.name(), e.getMessage());
            System.out.println(label + ": skipped: " + e.getMessage());
        } catch (IOException e) {
            results.fail(label + ": " + e.getMessage());
            System.out.println(label + ": failed: " + e.getMessage());
        }
    }

    private static void measureIdle(ServerSpec spec, Map<String, String> values, IdleMemory memory, int connections,
                                    Results results) throws InterruptedException {
        try {
            int port = freePort();
            try (ServerProcess server = ServerProcess.start(spec, spec.commandLine(values, port, 1), port, false)) {
                IdleMemory.Growth growth = memory.measure(server, port, connections);
                results.idle(spec.name(), growth);
                System.out.printf(Locale.ROOT, "idle %-23s heap %,8.0f B/conn  RSS %,8.0f B/conn%n", spec.name(),
                        growth.heapBytes(), growth.rssBytes());
            }
        } catch (ServerProcess.Unavailable | IOException e) {
            results.fail("idle connections, " + spec.name() + ": " + e.getMessage());
            System.out.println("idle " + spec.name() + ": failed: " + e.getMessage());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static long clockTicks() throws IOException, InterruptedException {
        Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
        String out = new String(getconf.getInputStream().readAllBytes()).strip();
        return getconf.waitFor() == 0 && out.matches("\\d+") ? Long.parseLong(out) : 100;
    }
}
