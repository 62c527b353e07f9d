package io.selectors4j.loop;

import io.selectors4j.testkit.Needs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A program written by others (openssl, python3) run as the other end of a test: its output read line
 * by line (standard error merged in), its input written on demand. Where the tool is missing, a test
 * is skipped saying so ({@link Needs#tool}: failed on CI, where every tool is installed).
 */
final class ExternalTool implements AutoCloseable {
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> all = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private ExternalTool(Process process) {
        this.process = process;
        this.reader = Thread.ofPlatform().daemon().name("tool-output").start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    all.add(line);
                    lines.add(line);
                }
            } catch (IOException e) {
                // the process ended
            }
        });
    }

    /** Starts {@code command}, its first word a tool found by {@link Needs#tool}. */
    static ExternalTool start(String... command) throws IOException {
        String[] resolved = command.clone();
        resolved[0] = Needs.tool(command[0]).toString();
        return new ExternalTool(new ProcessBuilder(resolved).redirectErrorStream(true).start());
    }

    /** Waits for a line containing {@code text}; fails with everything printed so far if none comes. */
    String await(String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
            if (line == null) {
                throw new AssertionError("no line with '" + text + "' from " + process.info().command().orElse("?")
                        + "; it printed:\n" + String.join("\n", all));
            }
            if (line.contains(text)) {
                return line;
            }
        }
    }

    /** Writes {@code text} to the tool's standard input. */
    void send(String text) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write(text.getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** Closes the tool's standard input. */
    void endInput() throws IOException {
        process.getOutputStream().close();
    }

    /** Waits for the tool to end and returns its exit code. */
    int exitCode() throws InterruptedException {
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the tool did not end; it printed:\n" + String.join("\n", all));
        }
        reader.join(5000);
        return process.exitValue();
    }

    /** Everything it printed so far. */
    String output() {
        return String.join("\n", all);
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
