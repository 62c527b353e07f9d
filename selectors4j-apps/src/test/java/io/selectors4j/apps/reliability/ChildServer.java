package io.selectors4j.apps.reliability;

import io.selectors4j.apps.common.Ports;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real {@code s4j} server as a child process, started the way an operator would start it: through
 * {@code bash -c 'ulimit -n N; exec java ...'} so its open-files limit is what the test asks for, with a
 * heap cap when the test checks memory. It offers what the reliability tests watch from outside:
 * open descriptors, CPU time, resident memory and heap use, and signals.
 */
final class ChildServer implements AutoCloseable {
    /** How long a test waits for the server to start or stop. */
    static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final Pattern HEAP_USED = Pattern.compile("total.*?(\\d+)K, used (\\d+)K");

    private final Process process;
    private final int port;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuffer stderr = new StringBuffer();

    private ChildServer(Process process, int port) {
        this.process = process;
        this.port = port;
        Thread.ofPlatform().daemon().start(() -> pump(process.getInputStream()));
        Thread.ofPlatform().daemon().start(() -> {
            try (InputStream err = process.getErrorStream()) {
                stderr.append(new String(err.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                stderr.append(e);
            }
        });
    }

    /** What to start: the open-files limit (0 keeps the inherited one), an optional heap cap, the program. */
    record Launch(int openFiles, String maxHeap, IntFunction<List<String>> args, String readyPattern) {
        Launch withOpenFiles(int limit) {
            return new Launch(limit, maxHeap, args, readyPattern);
        }

        Launch withMaxHeap(String heap) {
            return new Launch(openFiles, heap, args, readyPattern);
        }
    }

    /** Starts the server on a free port and waits for its start-up line; a port taken meanwhile is retried. */
    static ChildServer start(Launch launch) {
        for (int attempt = 0; ; attempt++) {
            int port = Ports.free(Ports.Kind.TCP);
            ChildServer server = new ChildServer(spawn(launch, launch.args().apply(port)), port);
            String first = server.nextLine(PATIENCE);
            if (first != null && first.matches(launch.readyPattern().replace("PORT", Integer.toString(port)))) {
                return server;
            }
            server.close();
            if (attempt == 2 || !server.stderr().contains("in use")) {
                throw new AssertionError("the server did not start: first line " + first + ", stderr " + server.stderr());
            }
        }
    }

    private static Process spawn(Launch launch, List<String> args) {
        List<String> command = new ArrayList<>();
        if (launch.openFiles() > 0) {
            command.addAll(List.of("bash", "-c", "ulimit -n " + launch.openFiles() + " && exec \"$@\"", "bash"));
        }
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-Xshare:auto");
        if (launch.maxHeap() != null) {
            command.add("-Xmx" + launch.maxHeap());
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.selectors4j.apps.S4j");
        command.addAll(args);
        try {
            return new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void pump(InputStream out) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(out, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line);
            }
        } catch (IOException e) {
            // The process is gone; its exit code tells the rest.
        }
    }

    /** The next line the server printed, or {@code null} if none came within {@code wait}. */
    String nextLine(Duration wait) {
        try {
            return lines.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    String stderr() {
        return stderr.toString();
    }

    /** The number of descriptors the server has open, from {@code /proc/PID/fd}. */
    int openFds() {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid()), "fd"))) {
            return (int) fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the server holds at most {@code expected} descriptors; returns the last count seen. */
    int awaitOpenFdsAtMost(int expected) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        int count = openFds();
        while (count > expected && System.nanoTime() < deadline) {
            pause(Duration.ofMillis(50));
            count = openFds();
        }
        return count;
    }

    /** The descriptor count once it has stayed the same for half a second: a baseline to come back to. */
    int steadyOpenFds() {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        int count = openFds();
        for (int same = 0; same < 5 && System.nanoTime() < deadline; ) {
            pause(Duration.ofMillis(100));
            int now = openFds();
            same = now == count ? same + 1 : 0;
            count = now;
        }
        return count;
    }

    /** User plus system CPU time of the whole server process in clock ticks, from {@code /proc/PID/stat}. */
    long cpuTicks() {
        String stat = read(Path.of("/proc", Long.toString(pid()), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        // After the command name: state is field 3, utime field 14 and stime field 15 of stat(5).
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** The CPU the server used, in clock ticks (1/100 s on Linux), while the test stayed away for {@code window}. */
    long cpuTicksWhileIdle(Duration window) {
        long before = cpuTicks();
        pause(window);
        return cpuTicks() - before;
    }

    /** The resident set size in KiB, {@code VmRSS} of {@code /proc/PID/status}. */
    long rssKib() {
        for (String line : read(Path.of("/proc", Long.toString(pid()), "status")).split("\n")) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new AssertionError("no VmRSS for " + pid());
    }

    /** The heap in use after a full collection, in KiB, as {@code jcmd PID GC.heap_info} reports it. */
    long heapUsedAfterGcKib() {
        jcmd("GC.run");
        Matcher used = HEAP_USED.matcher(jcmd("GC.heap_info"));
        if (!used.find()) {
            throw new AssertionError("no heap figure from jcmd");
        }
        return Long.parseLong(used.group(2));
    }

    private String jcmd(String command) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        return run(List.of(jcmd.toString(), Long.toString(pid()), command));
    }

    /** Sends the named signal ({@code WINCH}, {@code URG}...) with {@code kill -s}. */
    void signal(String name) {
        run(List.of("kill", "-s", name, Long.toString(pid())));
    }

    private static String run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(PATIENCE.toMillis(), TimeUnit.MILLISECONDS) || p.exitValue() != 0) {
                throw new AssertionError(command + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Sends SIGTERM and returns the exit code. */
    int terminate() {
        process.destroy();
        try {
            if (!process.waitFor(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the server did not stop on SIGTERM");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
