package io.selectors4j.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The machine a comparison ran on, for the report.
 *
 * @param date      the day (UTC)
 * @param cpu       the processor's model name
 * @param cpus      processors online
 * @param kernel    the kernel release
 * @param jdk       the JDK running the Java servers
 * @param openFiles the open-files limit, soft and hard
 * @param loadAtStart the 1-minute load average as the comparison started
 * @param loadAtEnd   the 1-minute load average as it ended
 */
record Machine(String date, String cpu, int cpus, String kernel, String jdk, String openFiles, String loadAtStart,
               String loadAtEnd) {

    /** The 1-minute load average now, from {@code /proc/loadavg}. */
    static String load() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }

    static Machine here(String jdk, String loadAtStart) throws IOException {
        String cpu = "unknown CPU";
        for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("model name")) {
                cpu = line.substring(line.indexOf(':') + 1).strip();
                break;
            }
        }
        String kernel = Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip();
        return new Machine(LocalDate.now(ZoneOffset.UTC).toString(), cpu, Runtime.getRuntime().availableProcessors(),
                kernel, jdk, openFilesLimit()[0] + " soft, " + openFilesLimit()[1] + " hard", loadAtStart, load());
    }

    /** The soft and hard open-files limits of this process, from {@code /proc/self/limits}. */
    static long[] openFilesLimit() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith("Max open files")) {
                String[] words = line.substring("Max open files".length()).strip().split("\\s+");
                return new long[] {parse(words[0]), parse(words[1])};
            }
        }
        return new long[] {1024, 1024};
    }

    private static long parse(String limit) {
        return limit.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(limit);
    }
}
