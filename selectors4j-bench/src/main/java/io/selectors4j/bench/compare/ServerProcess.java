package io.selectors4j.bench.compare;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An echo server under measurement, started from its {@link ServerSpec} (on CPU 0 when pinned) and
 * ready once its port accepts a connection. Its standard output is read line by line; a Java server
 * that answers the {@code stats} hook reports the bytes it has allocated.
 */
final class ServerProcess implements AutoCloseable {
    private static final long START_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final ServerSpec spec;
    private final Process process;
    private final Path errors;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private boolean statsHook;

    /** Thrown when a server cannot run here (a transport missing: exit code 3); the runner skips it. */
    static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        Unavailable(String message) {
            super(message);
        }
    }

    private ServerProcess(ServerSpec spec, Process process, Path errors) {
        this.spec = spec;
        this.process = process;
        this.errors = errors;
        this.statsHook = spec.java();
        Thread.ofPlatform().daemon().name("server-out").start(this::readLines);
    }

    /** Starts the server and waits until its port accepts connections. */
    static ServerProcess start(ServerSpec spec, List<String> commandLine, int port, boolean pinned)
            throws IOException, InterruptedException, Unavailable {
        List<String> command = new ArrayList<>();
        if (pinned) {
            command.addAll(List.of("taskset", "-c", "0"));
        }
        command.addAll(commandLine);
        Path errors = Files.createTempFile("s4j-server-", ".err");
        Process process = new ProcessBuilder(command).redirectError(errors.toFile()).start();
        ServerProcess server = new ServerProcess(spec, process, errors);
        try {
            server.awaitPort(port);
            return server;
        } catch (IOException | InterruptedException | Unavailable | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    long pid() {
        return process.pid();
    }

    ServerSpec spec() {
        return spec;
    }

    private void awaitPort(int port) throws IOException, InterruptedException, Unavailable {
        long deadline = System.nanoTime() + START_TIMEOUT_NANOS;
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        while (true) {
            if (!process.isAlive()) {
                String said = Files.readString(errors).strip();
                if (process.exitValue() == 3) {
                    throw new Unavailable(said);
                }
                throw new IOException(spec.name() + " exited with " + process.exitValue() + ": " + said);
            }
            try (Socket probe = new Socket()) {
                probe.connect(address, 1000);
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new IOException(spec.name() + " did not listen on port " + port + " within 30 s");
                }
                Thread.sleep(50); // polling a port that is not open yet: nothing to wait on
            }
        }
    }

    /**
     * The heap bytes the server has allocated since it started, when it answers the {@code stats}
     * hook within two seconds; a server that does not is not asked again.
     */
    OptionalLong allocatedBytes() throws InterruptedException {
        if (!statsHook || !process.isAlive()) {
            return OptionalLong.empty();
        }
        lines.clear();
        try {
            OutputStream in = process.getOutputStream();
            in.write("stats\n".getBytes(StandardCharsets.US_ASCII));
            in.flush();
        } catch (IOException e) {
            statsHook = false;
            return OptionalLong.empty();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        for (long left; (left = deadline - System.nanoTime()) > 0; ) {
            String line = lines.poll(left, TimeUnit.NANOSECONDS);
            if (line != null && line.startsWith("alloc-bytes ")) {
                return OptionalLong.of(Long.parseLong(line.substring("alloc-bytes ".length()).strip()));
            }
        }
        statsHook = false;
        return OptionalLong.empty();
    }

    private void readLines() {
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                lines.add(line);
            }
        } catch (IOException e) {
            // The server is gone; close() tells how it ended.
        }
    }

    /** Stops the server: SIGTERM, then SIGKILL after five seconds. */
    @Override
    public void close() throws IOException, InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        Files.deleteIfExists(errors);
    }
}
