package io.selectors4j.bench.compare;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A JVM's live heap, read with {@code jcmd PID GC.run} then {@code jcmd PID GC.heap_info}. */
final class HeapInfo {
    private static final Pattern USED = Pattern.compile("used (\\d+)K");

    private final Path jcmd;

    HeapInfo(Path javaHome) {
        this.jcmd = javaHome.resolve("bin").resolve("jcmd");
    }

    /** Collects garbage in process {@code pid} and returns the heap bytes still used. */
    long usedAfterGc(long pid) throws IOException, InterruptedException {
        run(pid, "GC.run");
        long used = 0;
        // Every heap or generation line says "total ..., used NK"; metaspace lines have no "total".
        for (String line : run(pid, "GC.heap_info").lines().toList()) {
            Matcher m = USED.matcher(line);
            if (line.contains("total") && m.find()) {
                used += Long.parseLong(m.group(1)) * 1024;
            }
        }
        return used;
    }

    private String run(long pid, String command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command)
                .redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("jcmd " + pid + " " + command + " failed: " + out.strip());
        }
        return out;
    }
}
