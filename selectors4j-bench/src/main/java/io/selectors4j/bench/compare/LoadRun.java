package io.selectors4j.bench.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * One run of {@code s4j bench --json --phase-marks} against a started server (on CPU 1 when pinned),
 * sampling the server's CPU time, system calls and allocation over exactly the measured window that
 * the load generator marks on its stderr.
 */
final class LoadRun {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> javaCommand;
    private final ProcFacts proc;
    private final SyscallCounter syscalls;

    /** @param javaCommand how to start the load generator: java and its options up to {@code -jar s4j.jar} */
    LoadRun(List<String> javaCommand, ProcFacts proc, SyscallCounter syscalls) {
        this.javaCommand = javaCommand;
        this.proc = proc;
        this.syscalls = syscalls;
    }

    /** Runs {@code workload} for {@code warmup} and {@code duration} against {@code server} on {@code port}. */
    Sample run(Workload workload, ServerProcess server, int port, String warmup, String duration, long durationNanos)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (workload.pinned()) {
            command.addAll(List.of("taskset", "-c", "1"));
        }
        command.addAll(javaCommand);
        command.addAll(List.of("bench", "127.0.0.1:" + port, "--connections", Integer.toString(workload.connections()),
                "--size", Integer.toString(workload.size()), "--pipeline", Integer.toString(workload.pipeline()),
                "--threads", Integer.toString(workload.threads()), "--warmup", warmup, "--duration", duration,
                "--json", "--phase-marks"));
        if (workload.tls()) {
            command.addAll(List.of("--tls-insecure", "--tls-ciphers", Workload.TLS_SUITE));
        }
        if (workload.reconnect()) {
            command.add("--reconnect");
        }
        Path out = Files.createTempFile("s4j-bench-", ".json");
        Process bench = new ProcessBuilder(command).redirectOutput(out.toFile()).start();
        long pid = server.pid();
        ProcFacts.Cpu cpuAtStart = null;
        ProcFacts.Cpu cpu = null;
        OptionalLong allocAtStart = OptionalLong.empty();
        OptionalLong alloc = OptionalLong.empty();
        SyscallCounter.Counting counting = null;
        long rss = -1;
        List<String> said = new ArrayList<>();
        try (BufferedReader err = new BufferedReader(
                new InputStreamReader(bench.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = err.readLine()) != null; ) {
                switch (line) {
                    case "measure" -> {
                        cpuAtStart = proc.cpu(pid);
                        counting = syscalls.available() ? syscalls.start(pid, durationNanos) : null;
                        allocAtStart = server.allocatedBytes();
                    }
                    case "done" -> {
                        cpu = proc.cpu(pid).minus(cpuAtStart);
                        rss = ProcFacts.rssBytes(pid);
                        alloc = server.allocatedBytes();
                    }
                    case "connected" -> {
                    }
                    default -> said.add(line);
                }
            }
        }
        int exit = bench.waitFor();
        OptionalLong calls = counting == null ? OptionalLong.empty() : counting.result();
        String json = Files.readString(out);
        Files.delete(out);
        if (exit == 2 || json.isBlank() || cpu == null) {
            throw new IOException("s4j bench failed (exit " + exit + "): " + String.join(" / ", said));
        }
        JsonNode result = JSON.readTree(json);
        double requests = result.get("requests").asDouble();
        JsonNode latency = result.get("latencyMicros");
        return new Sample(result.get("requestsPerSecond").asDouble(), result.get("megabytesPerSecond").asDouble(),
                latency.get("p50").asDouble(), latency.get("p99").asDouble(), latency.get("p999").asDouble(),
                perRequest(cpu.userNanos() / 1e3, requests), perRequest(cpu.systemNanos() / 1e3, requests),
                calls.isPresent() ? perRequest(calls.getAsLong(), requests) : Double.NaN,
                rss / (1024.0 * 1024.0),
                alloc.isPresent() && allocAtStart.isPresent()
                        ? perRequest(alloc.getAsLong() - allocAtStart.getAsLong(), requests) : Double.NaN,
                exit == 0);
    }

    private static double perRequest(double total, double requests) {
        return requests == 0 ? Double.NaN : total / requests;
    }
}
