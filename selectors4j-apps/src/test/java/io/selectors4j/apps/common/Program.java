package io.selectors4j.apps.common;

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
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The real {@code s4j} program running as a child process, as a user runs it: the same JVM, the
 * test class path and {@code --enable-native-access=ALL-UNNAMED}. Its standard output is read line by
 * line as it comes, its standard error kept whole.
 */
public final class Program implements AutoCloseable {
    /** How long a test waits for a line or an exit before failing. */
    public static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final String END = new String("end of output");

    private final Process process;
    private final BlockingQueue<String> incoming = new LinkedBlockingQueue<>();
    private final List<String> lines = new ArrayList<>();
    private final StringBuffer stderr = new StringBuffer();
    private final Thread errReader;
    private boolean ended;
    private int port;

    private Program(Process process) {
        this.process = process;
        Thread.ofVirtual().start(() -> pump(process.getInputStream()));
        errReader = Thread.ofVirtual().start(() -> {
            try (InputStream err = process.getErrorStream()) {
                stderr.append(new String(err.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                stderr.append(e);
            }
        });
    }

    /** Starts {@code s4j} with the given arguments. */
    public static Program start(String... args) {
        return start(List.of(), List.of(args));
    }

    /** Starts {@code prefix} (such as a shell setting a limit) followed by the java command and {@code s4j args}. */
    public static Program start(List<String> prefix, List<String> args) {
        List<String> command = new ArrayList<>(prefix);
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Xshare:auto");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.selectors4j.apps.S4j");
        command.addAll(args);
        try {
            return new Program(new ProcessBuilder(command).start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts a server on a free port: {@code args} gets the port and gives the arguments; the server
     * must print {@code readyLine} first. A port taken between the check and the bind is retried.
     */
    public static Program startServer(IntFunction<List<String>> args, String readyLinePattern,
            Ports.Kind kind) {
        for (int attempt = 0; ; attempt++) {
            int port = Ports.free(kind);
            Program program = start(List.of(), args.apply(port));
            String first = program.nextLine();
            if (first != null && first.matches(readyLinePattern.replace("PORT", Integer.toString(port)))) {
                program.port = port;
                return program;
            }
            program.close();
            if (attempt == 2 || !program.stderr().contains("in use")) {
                throw new AssertionError("the server did not start: first line " + first + ", stderr "
                        + program.stderr());
            }
        }
    }

    /** The sockets the program has open now, counted in {@code /proc/PID/fd}. */
    public int openSockets() {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(process.pid()), "fd"))) {
            return (int) fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().startsWith("socket:");
                } catch (IOException e) {
                    return false; // closed while we looked
                }
            }).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The port {@link #startServer} chose. */
    public int port() {
        return port;
    }

    private void pump(InputStream out) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(out, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                incoming.add(line);
            }
        } catch (IOException e) {
            // The process is gone; the end marker below says so.
        } finally {
            incoming.add(END);
        }
    }

    /** The next line of output, or {@code null} at its end; fails after {@link #PATIENCE}. */
    public String nextLine() {
        if (ended) {
            return null;
        }
        String line;
        try {
            line = incoming.poll(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        if (line == null) {
            throw new AssertionError("no output line within " + PATIENCE + "; so far " + lines + "; stderr " + stderr());
        }
        if (line == END) {
            ended = true;
            return null;
        }
        lines.add(line);
        return line;
    }

    /** Reads lines until one matches {@code regex} and returns it; fails at the end of output. */
    public String awaitLine(String regex) {
        return awaitLine(Pattern.compile(regex).asMatchPredicate(), regex);
    }

    /** Reads lines until one is exactly {@code text}. */
    public String awaitExactLine(String text) {
        return awaitLine(text::equals, text);
    }

    private String awaitLine(Predicate<String> wanted, String description) {
        for (String line = nextLine(); line != null; line = nextLine()) {
            if (wanted.test(line)) {
                return line;
            }
        }
        throw new AssertionError("no line like " + description + " before the end; lines " + lines
                + "; stderr " + stderr());
    }

    /** Every line read so far. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** Reads the remaining output to its end and returns every line. */
    public List<String> allLines() {
        while (nextLine() != null) {
            // Keep reading.
        }
        return lines();
    }

    /** Sends SIGTERM (what kill does; Ctrl-C's SIGINT takes the same path) without waiting. */
    public void sigterm() {
        // Through the handle: Process.destroy() would also close our ends of the pipes and lose the
        // lines the program prints while it stops.
        process.toHandle().destroy();
    }

    /** Sends SIGTERM and returns the exit code. */
    public int terminate() {
        sigterm();
        return exitCode();
    }

    /** Waits for the process to end and returns its exit code. */
    public int exitCode() {
        try {
            if (!process.waitFor(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the program did not end within " + PATIENCE + "; lines " + lines);
            }
            errReader.join(PATIENCE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        return process.exitValue();
    }

    /** What the program wrote to standard error (complete once it has ended). */
    public String stderr() {
        return stderr.toString();
    }

    /** Kills the program if it still runs. */
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
