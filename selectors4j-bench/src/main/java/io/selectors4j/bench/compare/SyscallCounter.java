package io.selectors4j.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * Counts a process's system calls over a window with {@code perf stat -e raw_syscalls:sys_enter -p PID},
 * when perf can read that tracepoint here.
 */
final class SyscallCounter {
    private static final String EVENT = "raw_syscalls:sys_enter";

    private final boolean available;

    private SyscallCounter(boolean available) {
        this.available = available;
    }

    /** Finds out whether perf can count the tracepoint on this machine. */
    static SyscallCounter probe() throws InterruptedException {
        try {
            Process perf = new ProcessBuilder("perf", "stat", "-e", EVENT, "-x,", "--", "true")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return new SyscallCounter(perf.waitFor(10, TimeUnit.SECONDS) && perf.exitValue() == 0);
        } catch (IOException e) {
            return new SyscallCounter(false);
        }
    }

    boolean available() {
        return available;
    }

    /** A count running over the next {@code nanos}; read it with {@link Counting#result()}. */
    Counting start(long pid, long nanos) throws IOException {
        Path out = Files.createTempFile("s4j-perf-", ".csv");
        String seconds = String.format(java.util.Locale.ROOT, "%.3f", nanos / 1e9);
        Process perf = new ProcessBuilder("perf", "stat", "-e", EVENT, "-x,", "-o", out.toString(),
                "-p", Long.toString(pid), "--", "sleep", seconds)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return new Counting(perf, out);
    }

    /** One count in progress. */
    record Counting(Process perf, Path out) {
        /** Waits for the window to end and returns the count, or nothing when perf failed. */
        OptionalLong result() throws IOException, InterruptedException {
            try {
                if (!perf.waitFor(60, TimeUnit.SECONDS)) {
                    perf.destroyForcibly().waitFor();
                    return OptionalLong.empty();
                }
                List<String> lines = Files.readAllLines(out);
                for (String line : lines) {
                    String[] fields = line.split(",");
                    if (fields.length > 2 && fields[2].equals(EVENT) && fields[0].matches("\\d+")) {
                        return OptionalLong.of(Long.parseLong(fields[0]));
                    }
                }
                return OptionalLong.empty();
            } finally {
                Files.deleteIfExists(out);
            }
        }
    }
}
