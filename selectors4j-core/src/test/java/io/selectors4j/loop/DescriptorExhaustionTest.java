package io.selectors4j.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A server out of descriptors (a child JVM under {@code prlimit --nofile=64:64}) flooded with
 * connections: it keeps serving its clients, does not spin, and accepts again once descriptors free up,
 * whether it runs from a jar or from class folders.
 */
class DescriptorExhaustionTest {
    private static final int FLOOD = 150;

    @Test
    void aServerOutOfDescriptorsKeepsServingDoesNotSpinAndRecovers() throws Exception {
        Path jar = Files.createTempDirectory("s4j-emfile").resolve("server.jar");
        try {
            writeJar(jar, Path.of("target", "classes"), Path.of("target", "test-classes"));
            floodAndRecover(jar.toString());
        } finally {
            Files.deleteIfExists(jar);
            Files.deleteIfExists(jar.getParent());
        }
    }

    /**
     * The same from class folders, where loading a class opens a file: what the loop's out-of-descriptors
     * path needs must be loaded before descriptors run out, or the first EMFILE fails to load it
     * ({@code NoClassDefFoundError}) and the listener stays broken.
     */
    @Test
    void aServerRunFromClassFoldersSurvivesItsFirstEmfile() throws Exception {
        floodAndRecover(Path.of("target", "classes").toAbsolutePath() + java.io.File.pathSeparator
                + Path.of("target", "test-classes").toAbsolutePath());
    }

    private static void floodAndRecover(String classPath) throws Exception {
        String javaBinary = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder("prlimit", "--nofile=64:64", javaBinary, "--enable-native-access=ALL-UNNAMED",
                "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", classPath, EmfileEchoServer.class.getName())
                .start();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        Thread errors = Thread.ofPlatform().daemon().start(() -> {
            try {
                child.getErrorStream().transferTo(stderr);
            } catch (java.io.IOException e) {
                // the child ended
            }
        });
        List<java.net.Socket> flood = new ArrayList<>();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertThat(line).as("the child started: " + stderr).startsWith("port ");
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(),
                    Integer.parseInt(line.substring(5)));

            List<java.net.Socket> regulars = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                regulars.add(connect(address));
                echoes(regulars.get(i), i);
            }
            for (int i = 0; i < FLOOD; i++) {
                flood.add(connect(address));
            }
            int shed = 0;
            for (java.net.Socket socket : flood) {
                socket.setSoTimeout(100);
                try {
                    if (socket.getInputStream().read() < 0) {
                        shed++;
                    }
                } catch (SocketTimeoutException stillOpen) {
                    // accepted, or still waiting in the backlog
                } catch (java.net.SocketException reset) {
                    shed++;
                }
            }
            assertThat(shed).as("connections refused for want of descriptors; the server began: %s", firstLines(stderr))
                    .isPositive();
            for (int i = 0; i < regulars.size(); i++) {
                echoes(regulars.get(i), 10 + i);
            }

            long before = cpuTicks(child.pid());
            long start = System.nanoTime();
            Thread.sleep(1000); // the idle second being measured, not a synchronisation
            long ticks = cpuTicks(child.pid()) - before;
            double seconds = (System.nanoTime() - start) / 1e9;
            assertThat(ticks).as("CPU ticks (1/100 s) of the child in an idle %.1f s of the flood", seconds)
                    .isLessThan(30);

            for (java.net.Socket socket : flood) {
                socket.close();
            }
            for (int i = 0; i < regulars.size(); i++) {
                echoes(regulars.get(i), 20 + i);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            boolean served = false;
            while (!served) {
                try (java.net.Socket late = connect(address)) {
                    late.setSoTimeout(500);
                    served = tryEcho(late);
                }
                assertThat(System.nanoTime() - deadline).as("accepting again after the flood").isNegative();
            }
            for (java.net.Socket socket : regulars) {
                socket.close();
            }
            assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("out of descriptors");
        } finally {
            for (java.net.Socket socket : flood) {
                socket.close();
            }
            child.getOutputStream().close();
            if (!child.waitFor(20, TimeUnit.SECONDS)) {
                child.destroyForcibly().waitFor();
            }
            errors.join(5000);
        }
        assertThat(child.exitValue()).as("clean exit; stderr: " + stderr).isZero();
    }

    /** A jar of the given class folders: the child loads classes from one open file, as a deployed server. */
    private static void writeJar(Path jar, Path... folders) throws Exception {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            java.util.Set<String> written = new java.util.HashSet<>();
            for (Path folder : folders) {
                try (Stream<Path> files = Files.walk(folder)) {
                    for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                        String name = folder.relativize(file).toString().replace(java.io.File.separatorChar, '/');
                        if (written.add(name)) {
                            out.putNextEntry(new JarEntry(name));
                            Files.copy(file, out);
                            out.closeEntry();
                        }
                    }
                }
            }
        }
    }

    private static java.net.Socket connect(InetSocketAddress address) throws Exception {
        java.net.Socket socket = new java.net.Socket();
        socket.connect(address, 10_000);
        socket.setSoTimeout(20_000);
        return socket;
    }

    private static void echoes(java.net.Socket socket, int n) throws Exception {
        byte[] message = ("message " + n).getBytes(StandardCharsets.US_ASCII);
        socket.getOutputStream().write(message);
        assertThat(socket.getInputStream().readNBytes(message.length)).isEqualTo(message);
    }

    /** One echo on a new connection: false when it was closed unanswered (refused for descriptors). */
    private static boolean tryEcho(java.net.Socket socket) throws Exception {
        try {
            socket.getOutputStream().write('x');
            return socket.getInputStream().read() == 'x';
        } catch (java.net.SocketException | SocketTimeoutException e) {
            return false;
        }
    }

    /** The start of what the child wrote to stderr: a broken listener logs the same failure on and on. */
    private static String firstLines(ByteArrayOutputStream stderr) {
        String text = stderr.toString(StandardCharsets.UTF_8);
        return text.length() <= 4000 ? text : text.substring(0, 4000) + "...";
    }

    /** utime + stime of a process, in clock ticks, from /proc/PID/stat. */
    private static long cpuTicks(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
