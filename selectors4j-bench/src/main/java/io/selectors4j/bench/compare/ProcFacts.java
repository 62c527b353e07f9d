package io.selectors4j.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What {@code /proc} tells about a process: CPU time split into user and system, RSS, open descriptors. */
final class ProcFacts {
    private final long clockTicks;

    /** @param clockTicks the kernel's {@code CLK_TCK}: units of the CPU times in {@code /proc/PID/stat} */
    ProcFacts(long clockTicks) {
        this.clockTicks = clockTicks;
    }

    /** CPU time used so far, in nanoseconds. */
    record Cpu(long userNanos, long systemNanos) {
        Cpu minus(Cpu earlier) {
            return new Cpu(userNanos - earlier.userNanos, systemNanos - earlier.systemNanos);
        }
    }

    Cpu cpu(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // Fields after the command name, which is in parentheses and may hold spaces: field 3 is first.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long user = Long.parseLong(fields[14 - 3]);
        long system = Long.parseLong(fields[15 - 3]);
        return new Cpu(user * 1_000_000_000L / clockTicks, system * 1_000_000_000L / clockTicks);
    }

    /** Resident set size in bytes. */
    static long rssBytes(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
            }
        }
        throw new IOException("no VmRSS for process " + pid);
    }

    /** Open descriptors of the process. */
    static int openFiles(long pid) throws IOException {
        try (var entries = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return (int) entries.count();
        }
    }
}
