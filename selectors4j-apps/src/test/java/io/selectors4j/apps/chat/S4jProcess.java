package io.selectors4j.apps.chat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** The real {@code s4j} program in a child JVM, with the test's class path; stdout read line by line. */
final class S4jProcess implements AutoCloseable {
    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuilder stderr = new StringBuilder();
    private final Thread outReader;
    private final Thread errReader;

    private S4jProcess(Process process) {
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        outReader = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader out = process.inputReader(StandardCharsets.UTF_8)) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("<stdout failed: " + e + ">");
            }
        });
        errReader = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader err = process.errorReader(StandardCharsets.UTF_8)) {
                for (String line = err.readLine(); line != null; line = err.readLine()) {
                    synchronized (stderr) {
                        stderr.append(line).append('\n');
                    }
                }
            } catch (IOException e) {
                synchronized (stderr) {
                    stderr.append("<stderr failed: ").append(e).append(">\n");
                }
            }
        });
    }

    /** The command line that runs {@code s4j} with {@code args} in a new JVM. */
    static List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElseThrow(),
                "-cp", System.getProperty("java.class.path"),
                "--enable-native-access=ALL-UNNAMED",
                "io.selectors4j.apps.S4j"));
        command.addAll(List.of(args));
        return command;
    }

    /** Starts {@code s4j} with {@code args}, its stdin a pipe (so not a terminal). */
    static S4jProcess start(String... args) throws IOException {
        return new S4jProcess(new ProcessBuilder(command(args)).start());
    }

    /** Types one line. */
    void type(String line) throws IOException {
        stdin.write(line + "\n");
        stdin.flush();
    }

    /** Ends the program's input. */
    void endInput() throws IOException {
        stdin.close();
    }

    /** The next line the program prints, failing after the test wait. */
    String nextLine() throws InterruptedException {
        String line = lines.poll(ChatTestClient.WAIT.toSeconds(), TimeUnit.SECONDS);
        if (line == null) {
            throw new AssertionError("no output line within " + ChatTestClient.WAIT + "; stderr: " + stderr());
        }
        return line;
    }

    /** The lines printed and not yet read. */
    List<String> remainingLines() {
        List<String> rest = new ArrayList<>();
        lines.drainTo(rest);
        return rest;
    }

    /** Waits (bounded) for the program to exit and returns its exit code. */
    int waitFor() throws InterruptedException {
        if (!process.waitFor(ChatTestClient.WAIT.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("s4j did not exit within " + ChatTestClient.WAIT);
        }
        outReader.join(ChatTestClient.WAIT.toMillis());
        errReader.join(ChatTestClient.WAIT.toMillis());
        return process.exitValue();
    }

    String stderr() {
        synchronized (stderr) {
            return stderr.toString();
        }
    }

    /** Asks the program to stop as Ctrl-C or a service manager would: SIGTERM. */
    void terminate() {
        // Through the handle: Process.destroy() would also close our ends of the pipes and lose what
        // the program prints while it stops.
        process.toHandle().destroy();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(ChatTestClient.WAIT.toSeconds(), TimeUnit.SECONDS);
    }
}
