package io.selectors4j.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the comparison into {@code docs/BENCHMARKS.md}, between the markers
 * {@code <!-- comparison:start -->} and {@code <!-- comparison:end -->} for the plain servers and
 * {@code <!-- comparison-tls:start -->} and {@code <!-- comparison-tls:end -->} for the TLS ones
 * (each appended the first time), so that the rest of the page, and the other kind's section when
 * only one kind ran, are left as they are.
 */
final class Report {
    /** What one section covers: its markers, its heading and its charts' names. */
    enum Kind {
        PLAIN("comparison", "Echo servers side by side"),
        TLS("comparison-tls", "TLS echo servers side by side");

        final String start;
        final String end;
        final String heading;
        final String requestsChart;
        final String p99Chart;

        Kind(String name, String heading) {
            this.start = "<!-- " + name + ":start -->";
            this.end = "<!-- " + name + ":end -->";
            this.heading = heading;
            this.requestsChart = name + "-requests.png";
            this.p99Chart = name + "-p99.png";
        }
    }

    private Report() {
    }

    /** The section's Markdown. */
    static String markdown(Kind kind, Results results, Machine machine, String command, int rounds, String warmup,
                           String duration, int manyConnections, boolean perf, boolean quick,
                           List<String> fixedLoops) {
        StringBuilder md = new StringBuilder();
        md.append(kind.start).append('\n');
        md.append("## ").append(kind.heading).append("\n\n");
        md.append(String.format(Locale.ROOT, "Run on %s: %s, %d CPUs, Linux %s, %s; open-files limit %s.%n%n",
                machine.date(), machine.cpu(), machine.cpus(), machine.kernel(), machine.jdk(), machine.openFiles()));
        md.append("```\n").append(command).append("\n```\n\n");
        md.append(String.format(Locale.ROOT, "Load average (1 minute) %s as the run began and %s as it ended%s%n%n",
                machine.loadAtStart(), machine.loadAtEnd(), quick
                        ? ": this is a `--quick` smoke run, proof that the suite works, not figures to quote."
                        : "."));
        md.append(String.format(Locale.ROOT, "Each figure is the median of %d round%s, the servers taking turns "
                        + "within each round (A B C A B C ...); each run starts the server afresh, warms up for %s "
                        + "and measures for %s. Unless a workload says otherwise the server runs on CPU 0 and "
                        + "`s4j bench` on CPU 1 (`taskset`). CPU time, system calls and allocation are the "
                        + "server's over the measured window only (`/proc/PID/stat`, `perf stat`, the `stats` "
                        + "hook), divided by the requests echoed in it; RSS is read as the window closes.%n%n",
                rounds, rounds == 1 ? "" : "s", warmup, duration));
        if (!perf) {
            md.append("perf cannot count `raw_syscalls:sys_enter` here: the system-call column is empty.\n\n");
        }
        for (Map.Entry<String, String> skip : results.skipped().entrySet()) {
            md.append("Skipped **").append(skip.getKey()).append("**: ").append(skip.getValue()).append("\n\n");
        }
        if (kind == Kind.PLAIN) {
            md.append(String.format(Locale.ROOT, "Workload (d) uses %,d connections: the hard open-files limit "
                    + "here, less room for the JVM's own files, allows it.%n%n", manyConnections));
        } else {
            md.append("The load generator offers TLS 1.3 with " + Workload.TLS_SUITE + " only, and trusts the "
                    + "servers' throw-away certificates (`--tls-insecure`); every server signs with an ECDSA P-256 "
                    + "key. In (h) each request is a new connection: its latency runs from the connect to the "
                    + "echo, and requests/s is handshakes/s.\n\n");
        }
        for (Map.Entry<Workload, Map<String, List<Sample>>> entry : results.samples().entrySet()) {
            Workload w = entry.getKey();
            md.append("### (").append(w.id()).append(") ").append(w.title()).append("\n\n");
            if (w.threads() > 1 && !fixedLoops.isEmpty()) {
                md.append("These take no loop count and ran as they are: ").append(String.join(", ", fixedLoops))
                        .append(".\n\n");
            }
            md.append("| server | requests/s (min-max) | MB/s | p50 us | p99 us | p99.9 us | user us/req | "
                    + "sys us/req | syscalls/req | RSS MiB | alloc B/req |\n");
            md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (Map.Entry<String, List<Sample>> server : entry.getValue().entrySet()) {
                List<Sample> s = server.getValue();
                double[] range = Results.range(s, Sample::requestsPerSecond);
                boolean clean = s.stream().allMatch(Sample::clean);
                md.append("| ").append(server.getKey()).append(clean ? "" : " (bytes wrong or connections lost!)")
                        .append(" | ").append(num(Results.median(s, Sample::requestsPerSecond), 0))
                        .append(" (").append(num(range[0], 0)).append("-").append(num(range[1], 0)).append(")")
                        .append(" | ").append(num(Results.median(s, Sample::megabytesPerSecond), 1))
                        .append(" | ").append(num(Results.median(s, Sample::p50Micros), 0))
                        .append(" | ").append(num(Results.median(s, Sample::p99Micros), 0))
                        .append(" | ").append(num(Results.median(s, Sample::p999Micros), 0))
                        .append(" | ").append(num(Results.median(s, Sample::userMicrosPerRequest), 2))
                        .append(" | ").append(num(Results.median(s, Sample::systemMicrosPerRequest), 2))
                        .append(" | ").append(num(Results.median(s, Sample::syscallsPerRequest), 2))
                        .append(" | ").append(num(Results.median(s, Sample::rssMebibytes), 1))
                        .append(" | ").append(num(Results.median(s, Sample::allocatedBytesPerRequest), 1))
                        .append(" |\n");
            }
            md.append('\n');
        }
        md.append("Charts: each server's median against the best of its workload (requests/s: 1 is the "
                + "fastest; p99: 1 is the lowest, 3 is three times it); 0 means not measured.\n\n");
        md.append("![requests per second relative to the fastest](").append(kind.requestsChart).append(")\n\n");
        md.append("![p99 latency relative to the lowest](").append(kind.p99Chart).append(")\n\n");
        if (!results.idle().isEmpty()) {
            md.append("### Memory per idle connection\n\n");
            md.append("Growth of the live heap (after `jcmd PID GC.run`, read with `GC.heap_info`) and of the "
                    + "RSS once the server holds the idle connections, divided by their number. The server "
                    + "runs unpinned with one loop.").append(kind == Kind.TLS
                    ? " Each TLS connection completed its handshake (TLS 1.3) before it went idle.\n\n" : "\n\n");
            md.append("| server | idle connections | heap B/connection | RSS B/connection |\n|---|---:|---:|---:|\n");
            for (Map.Entry<String, IdleMemory.Growth> idle : results.idle().entrySet()) {
                IdleMemory.Growth g = idle.getValue();
                md.append("| ").append(idle.getKey()).append(" | ").append(num(g.connections(), 0)).append(" | ")
                        .append(num(g.heapBytes(), 0)).append(" | ").append(num(g.rssBytes(), 0)).append(" |\n");
            }
            md.append('\n');
        }
        for (String failure : results.failures()) {
            md.append("- Failed: ").append(failure).append('\n');
        }
        md.append(kind.end).append('\n');
        return md.toString();
    }

    /** Puts {@code section} in place of the previous one of its kind in {@code page}, or at its end. */
    static void write(Path page, Kind kind, String section) throws IOException {
        String text = Files.exists(page) ? Files.readString(page) : "# Benchmarks\n";
        int start = text.indexOf(kind.start);
        int end = text.indexOf(kind.end);
        String updated;
        if (start >= 0 && end > start) {
            updated = text.substring(0, start) + section + text.substring(end + kind.end.length()).replaceFirst("^\n", "");
        } else {
            updated = text + (text.endsWith("\n") ? "\n" : "\n\n") + section;
        }
        Files.writeString(page, updated);
    }

    private static String num(double value, int decimals) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%,." + decimals + "f", value);
    }
}
