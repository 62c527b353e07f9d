package io.selectors4j.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Java program in a child JVM (the test JVM's {@code java}, by default its class path, with
 * {@code --enable-native-access=ALL-UNNAMED}), started the way an operator would start it and watched
 * from outside: its standard output line by line as it comes, its standard error as it is written, its
 * descriptors, CPU time and memory from {@code /proc}, its heap through {@code jcmd}, and signals.
 * The one launcher every test that runs a program in another process uses.
 */
public final class ChildJvm implements AutoCloseable {
    /** How long a test waits for a line, a start or an exit before failing. */
    public static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String END = new String("end of output");
    /** Linux's USER_HZ, the unit of /proc's CPU times. */
    private static final double CLOCK_TICKS_PER_SECOND = 100;
    /** The first line of a record in java.util.logging's default format: "Dec 02, 2026 7:01:19 AM class method". */
    private static final Pattern LOG_HEADER = Pattern.compile("\\w{3} \\d{1,2}, \\d{4} \\d{1,2}:\\d\\d:\\d\\d[ \\u202f][AP]M \\S+ \\S+");
    /** Names (as /proc gives them, 15 characters at most) of the JVM's compiler and collector threads. */
    private static final Pattern JVM_WORKERS = Pattern.compile("C1 Compiler|C2 Compiler|GC Thread|G1 |VM Thread");
    private static final Pattern HEAP_USED = Pattern.compile("total.*?(\\d+)K, used (\\d+)K");

    /**
     * What to start: a main class and its arguments, the class path, JVM options, an open-files limit
     * (0 keeps the inherited one; else soft and hard are set to it, as {@code ulimit -n} does) and an
     * optional heap cap.
     */
    public record Launch(String mainClass, List<String> args, String classPath, List<String> jvmOptions,
            int openFiles, String maxHeap) {
        public Launch {
            args = List.copyOf(args);
            jvmOptions = List.copyOf(jvmOptions);
        }

        /** {@code mainClass} with {@code args}, on the test JVM's class path. */
        public static Launch of(String mainClass, List<String> args) {
            return new Launch(mainClass, args, System.getProperty("java.class.path"), List.of(), 0, null);
        }

        public Launch withOpenFiles(int limit) {
            return new Launch(mainClass, args, classPath, jvmOptions, limit, maxHeap);
        }

        public Launch withMaxHeap(String heap) {
            return new Launch(mainClass, args, classPath, jvmOptions, openFiles, heap);
        }

        public Launch withClassPath(String path) {
            return new Launch(mainClass, args, path, jvmOptions, openFiles, maxHeap);
        }

        /** The same with {@code options} added to the JVM options. */
        public Launch withJvmOptions(String... options) {
            List<String> all = new ArrayList<>(jvmOptions);
            all.addAll(List.of(options));
            return new Launch(mainClass, args, classPath, all, openFiles, maxHeap);
        }

        /** The command line: {@code java} and its options, then the main class and its arguments. */
        public List<String> javaCommand() {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("--enable-native-access=ALL-UNNAMED");
            command.add("-Xshare:auto");
            command.addAll(jvmOptions);
            if (maxHeap != null) {
                command.add("-Xmx" + maxHeap);
            }
            command.add("-cp");
            command.add(classPath);
            command.add(mainClass);
            command.addAll(args);
            return command;
        }

        /** The whole command, through {@code bash -c 'ulimit -n N && exec ...'} when a limit is asked for. */
        List<String> command() {
            List<String> command = new ArrayList<>();
            if (openFiles > 0) {
                command.addAll(List.of("bash", "-c", "ulimit -n " + openFiles + " && exec \"$@\"", "bash"));
            }
            command.addAll(javaCommand());
            return command;
        }
    }

    /**
     * A server that takes its port as an argument: the launch for a given port, and the regular
     * expression its first output line must match, {@code PORT} standing for the port.
     */
    public record Server(IntFunction<Launch> launch, String readyPattern, Ports.Kind ports) {
        public Server withOpenFiles(int limit) {
            return new Server(port -> launch.apply(port).withOpenFiles(limit), readyPattern, ports);
        }

        public Server withMaxHeap(String heap) {
            return new Server(port -> launch.apply(port).withMaxHeap(heap), readyPattern, ports);
        }
    }

    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<String> incoming = new LinkedBlockingQueue<>();
    private final List<String> lines = new ArrayList<>();
    private final StringBuffer stderr = new StringBuffer();
    private final Thread errReader;
    private boolean ended;
    private int port;

    private ChildJvm(Process process) {
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread.ofPlatform().daemon().name("child-stdout-" + process.pid()).start(this::pumpOutput);
        errReader = Thread.ofPlatform().daemon().name("child-stderr-" + process.pid()).start(this::pumpErrors);
    }

    /** Starts {@code launch}. */
    public static ChildJvm start(Launch launch) {
        try {
            return new ChildJvm(new ProcessBuilder(launch.command()).start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts {@code server} on a free port and waits for its first line; when the port was taken between
     * the check and the bind (the server says "in use"), tries another port, three times at most.
     */
    public static ChildJvm startServer(Server server) {
        for (int attempt = 0; ; attempt++) {
            int port = Ports.free(server.ports());
            ChildJvm child = start(server.launch().apply(port));
            String first = child.nextLine();
            if (first != null && first.matches(server.readyPattern().replace("PORT", Integer.toString(port)))) {
                child.port = port;
                return child;
            }
            child.close();
            if (attempt == 2 || !child.stderr().contains("in use")) {
                throw new AssertionError("the server did not start: first line " + first + ", stderr " + child.stderr());
            }
        }
    }

    private void pumpOutput() {
        try (BufferedReader reader = process.inputReader(StandardCharsets.UTF_8)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                incoming.add(line);
            }
        } catch (IOException e) {
            // The process is gone; the end marker says so.
        } finally {
            incoming.add(END);
        }
    }

    /** Keeps standard error as it comes, so that a check while the program runs sees what it wrote. */
    private void pumpErrors() {
        try (Reader err = new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)) {
            char[] buffer = new char[4096];
            for (int n = err.read(buffer); n >= 0; n = err.read(buffer)) {
                stderr.append(buffer, 0, n);
            }
        } catch (IOException e) {
            stderr.append("<stderr failed: ").append(e).append('>');
        }
    }

    /** The port {@link #startServer} chose (0 for a program started otherwise). */
    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** The next line of output, or {@code null} at its end; fails after {@link #PATIENCE}. */
    public String nextLine() {
        if (ended) {
            return null;
        }
        String line = take(PATIENCE);
        if (line == null) {
            throw new AssertionError("no output line within " + PATIENCE + "; so far " + lines + "; stderr " + stderr());
        }
        return accept(line);
    }

    /** The next line of output, or {@code null} at its end or when none comes within {@code wait}. */
    public String pollLine(Duration wait) {
        if (ended) {
            return null;
        }
        String line = take(wait);
        return line == null ? null : accept(line);
    }

    private String take(Duration wait) {
        try {
            return incoming.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private String accept(String line) {
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

    /** The lines printed and not read yet, without waiting for more. */
    public List<String> unreadLines() {
        List<String> rest = new ArrayList<>();
        for (String line = incoming.poll(); line != null && accept(line) != null; line = incoming.poll()) {
            rest.add(line);
        }
        return rest;
    }

    /** Types one line on the program's standard input. */
    public void type(String line) throws IOException {
        stdin.write(line + "\n");
        stdin.flush();
    }

    /** Ends the program's standard input. */
    public void endInput() throws IOException {
        stdin.close();
    }

    /** What the program wrote to standard error so far (complete once {@link #exitCode} returned). */
    public String stderr() {
        return stderr.toString();
    }

    /**
     * The lines of standard error so far that match none of {@code expected} (regular expressions for
     * whole lines), leaving out the header line {@code java.util.logging} writes before each record.
     */
    public List<String> unexpectedStderr(String... expected) {
        List<Pattern> allowed = new ArrayList<>();
        allowed.add(LOG_HEADER);
        for (String regex : expected) {
            allowed.add(Pattern.compile(regex));
        }
        return stderr().lines().filter(line -> allowed.stream().noneMatch(p -> p.matcher(line).matches())).toList();
    }

    /** Sends SIGTERM (what kill does; Ctrl-C's SIGINT takes the same path in our programs) without waiting. */
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

    /** Waits for the process to end and returns its exit code; fails after {@link #PATIENCE}. */
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

    /** Sends the named signal ({@code WINCH}, {@code URG}...) with {@code kill -s}. */
    public void signal(String name) {
        run(List.of(Needs.tool("kill").toString(), "-s", name, Long.toString(pid())));
    }

    /** The number of descriptors the program has open. */
    public int openFds() {
        return Proc.openFds(pid());
    }

    /** The number of sockets the program has open. */
    public int openSockets() {
        return Proc.openSockets(pid());
    }

    /** Waits until the program holds at most {@code expected} descriptors; returns the last count seen. */
    public int awaitOpenFdsAtMost(int expected) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        int count = openFds();
        while (count > expected && System.nanoTime() < deadline) {
            sleep(Duration.ofMillis(50));
            count = openFds();
        }
        return count;
    }

    /** The descriptor count once it has stayed the same for half a second: a baseline to come back to. */
    public int steadyOpenFds() {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        int count = openFds();
        for (int same = 0; same < 5 && System.nanoTime() < deadline; ) {
            sleep(Duration.ofMillis(100));
            int now = openFds();
            same = now == count ? same + 1 : 0;
            count = now;
        }
        return count;
    }

    /** User plus system CPU time of the whole program in clock ticks (1/100 s on Linux). */
    public long cpuTicks() {
        return Proc.cpuTicks(pid());
    }

    /** A thread of the program and the share of one CPU it used. */
    public record ThreadShare(String name, double share) {}

    /**
     * The program's busiest thread while the test leaves it alone for {@code window}, and the share of
     * one CPU it used: near 0 for threads that wait in the kernel, about 1.0 for a thread that spins
     * (less on a machine so busy that it cannot have a whole CPU). The JIT compiler and GC threads
     * are left out: they may still be finishing what the test made the program do, and they do not
     * spin.
     */
    public ThreadShare busiestThreadWhileIdle(Duration window) {
        Map<Long, Long> before = new HashMap<>();
        Proc.threads(pid()).keySet().forEach(tid -> threadTicks(tid).ifPresent(ticks -> before.put(tid, ticks)));
        long start = System.nanoTime();
        sleep(window); // the idle time being measured, not a synchronisation
        double seconds = (System.nanoTime() - start) / 1e9;
        ThreadShare busiest = new ThreadShare("none", 0);
        for (Map.Entry<Long, String> thread : Proc.threads(pid()).entrySet()) {
            OptionalLong after = threadTicks(thread.getKey());
            if (after.isEmpty() || JVM_WORKERS.matcher(thread.getValue()).lookingAt()) {
                continue;
            }
            // a thread started during the window used all its ticks in it
            long used = after.getAsLong() - before.getOrDefault(thread.getKey(), 0L);
            String name = thread.getValue();
            double share = used / (CLOCK_TICKS_PER_SECOND * seconds);
            if (share > busiest.share()) {
                busiest = new ThreadShare(name, share);
            }
        }
        return busiest;
    }

    /** A thread's CPU ticks, or nothing once it has ended. */
    private OptionalLong threadTicks(long tid) {
        try {
            return OptionalLong.of(Proc.threadCpuTicks(pid(), tid));
        } catch (UncheckedIOException ended) {
            return OptionalLong.empty();
        }
    }

    /** The resident set size in KiB. */
    public long rssKib() {
        return Proc.rssKib(pid());
    }

    /** The heap in use after a full collection, in KiB, as {@code jcmd PID GC.heap_info} reports it. */
    public long heapUsedAfterGcKib() {
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

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
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
