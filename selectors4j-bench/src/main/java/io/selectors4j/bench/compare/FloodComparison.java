package io.selectors4j.bench.compare;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The flood of docs/RELIABILITY.md against the servers of {@code flood-servers.conf}, side by side in
 * one run: each round starts every server afresh and floods it twice, cold (just started) and warm.
 * Prints a Markdown table: the well-behaved client's p99 before and after each flood against the target
 * (3 × the unloaded p99 + 2 ms), and the server's CPU per GiB the bulk senders wrote, as a ratio to the
 * reference server (the first line of the file: a libuv echo).
 *
 * <p>Options: {@code --root DIR}, {@code --java-home DIR}, {@code --servers FILE}, {@code --rounds N}
 * (default 3), {@code --only NAME,NAME}, {@code --bulk N} (bulk senders, 300), {@code --slow N}
 * (slowloris clients, 200).
 */
public final class FloodComparison {
    private static final int PORT = 18080;

    private FloodComparison() {
    }

    /** One server's floods. */
    private record Row(String server, List<FloodProbe.Result> cold, List<FloodProbe.Result> warm) {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                usage();
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        if (args.length % 2 != 0 || !options.containsKey("root")) {
            usage();
        }
        Path root = Path.of(options.get("root"));
        Path java = Path.of(options.getOrDefault("java-home", System.getProperty("java.home")), "bin", "java");
        Path servers = Path.of(options.getOrDefault("servers", root.resolve("selectors4j-bench/flood-servers.conf").toString()));
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
        List<String> only = options.containsKey("only") ? Arrays.asList(options.get("only").split(",")) : List.of();
        FloodProbe.Size size = new FloodProbe.Size(Integer.parseInt(options.getOrDefault("bulk", "300")),
                Integer.parseInt(options.getOrDefault("slow", "200")));
        Map<String, String> values = Map.of("java", java.toString(),
                "s4j", root.resolve("selectors4j-apps/target/s4j.jar").toString(),
                "bench", root.resolve("selectors4j-bench/target/benchmarks.jar").toString(),
                "root", root.toString());

        System.out.println("load at start: " + Machine.load());
        Map<String, Row> rows = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            for (ServerSpec spec : ServerSpec.read(servers)) {
                if (!only.isEmpty() && !only.contains(spec.name())) {
                    continue;
                }
                Row row = rows.computeIfAbsent(spec.name(), name -> new Row(name, new ArrayList<>(), new ArrayList<>()));
                try (ServerProcess server = ServerProcess.start(spec, spec.commandLine(values, PORT, 1), PORT, false)) {
                    FloodProbe probe = new FloodProbe(new InetSocketAddress(InetAddress.getLoopbackAddress(), PORT),
                            server.pid());
                    FloodProbe.Result cold = probe.run(size);
                    FloodProbe.Result warm = probe.run(size);
                    row.cold().add(cold);
                    row.warm().add(warm);
                    System.out.printf(Locale.ROOT, "round %d %-22s cold %s%n%-31s warm %s%n", round, spec.name(),
                            line(cold), "", line(warm));
                } catch (ServerProcess.Unavailable e) {
                    System.out.println(spec.name() + ": skipped: " + e.getMessage());
                    rows.remove(spec.name());
                }
            }
        }
        System.out.println();
        System.out.println(table(new ArrayList<>(rows.values()), size, rounds));
    }

    private static String line(FloodProbe.Result r) {
        return String.format(Locale.ROOT, "p99 %5d us -> %6d us (max %6d, %4d trips; target %5d: %s), pushed %5.0f MiB,"
                        + " server CPU %5d ms, busy %5d ms after the stall",
                r.unloadedP99Micros(), r.afterP99Micros(), r.afterMaxMicros(), r.roundTripsAfter(), r.targetMicros(),
                r.meetsTarget() ? "met" : "MISSED", r.pushedBytes() / 1048576.0, r.serverCpuNanos() / 1_000_000,
                r.busyAfterMillis());
    }

    private static String table(List<Row> rows, FloodProbe.Size size, int rounds) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%d bulk senders, %d slowloris clients, %d rounds (cold and warm"
                + " floods per round); p99 in µs, median over the rounds; CPU in ms per GiB written by the bulk"
                + " senders, median; ratio to %s%n%n", size.bulkSenders(), size.slowClients(), rounds,
                rows.isEmpty() ? "-" : rows.getFirst().server()));
        out.append("| server | unloaded p99 | p99 after, cold | p99 after, warm | target met | CPU per GiB | CPU ratio |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|\n");
        double reference = rows.isEmpty() ? 1 : cpuPerGib(rows.getFirst());
        for (Row row : rows) {
            List<FloodProbe.Result> all = new ArrayList<>(row.cold());
            all.addAll(row.warm());
            long met = all.stream().filter(FloodProbe.Result::meetsTarget).count();
            double cpu = cpuPerGib(row);
            out.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d of %d | %.0f | %.2f |%n", row.server(),
                    median(all.stream().mapToLong(FloodProbe.Result::unloadedP99Micros).toArray()),
                    median(row.cold().stream().mapToLong(FloodProbe.Result::afterP99Micros).toArray()),
                    median(row.warm().stream().mapToLong(FloodProbe.Result::afterP99Micros).toArray()),
                    met, all.size(), cpu, cpu / reference));
        }
        return out.toString();
    }

    private static double cpuPerGib(Row row) {
        List<FloodProbe.Result> all = new ArrayList<>(row.cold());
        all.addAll(row.warm());
        return median(all.stream().mapToLong(r -> (long) (r.serverCpuNanos() / 1e6 / (r.pushedBytes() / 1073741824.0)))
                .toArray());
    }

    private static long median(long[] values) {
        if (values.length == 0) {
            return 0;
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static void usage() {
        System.err.println("usage: FloodComparison --root DIR [--java-home DIR] [--servers FILE] [--rounds N]"
                + " [--only NAME,NAME] [--bulk N] [--slow N]");
        System.exit(1);
    }
}
