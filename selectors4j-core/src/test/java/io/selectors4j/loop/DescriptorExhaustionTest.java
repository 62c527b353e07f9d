package io.selectors4j.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.testkit.ChildJvm;
import io.selectors4j.testkit.LoopBackends;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A server out of descriptors (a child JVM under {@code ulimit -n 64}) flooded with
 * connections: it keeps serving its clients, does not spin, and accepts again once descriptors free up,
 * whether it runs from a jar or from class folders.
 */
@ParameterizedClass
@MethodSource(LoopBackends.EPOLL_AND_IO_URING)
class DescriptorExhaustionTest {
    private static final int FLOOD = 150;

    /** The loop backend every test of this class runs on. */
    @Parameter
    LoopBackend backend;

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

    private void floodAndRecover(String classPath) throws Exception {
        LoopBackends.requireUsable(backend);
        List<java.net.Socket> flood = new ArrayList<>();
        try (ChildJvm child = ChildJvm.start(ChildJvm.Launch.of(EmfileEchoServer.class.getName(), List.of(backend.name()))
                .withClassPath(classPath).withOpenFiles(64).withJvmOptions("-XX:TieredStopAtLevel=1"))) {
            String line = child.nextLine();
            assertThat(line).as("the child started: " + child.stderr()).startsWith("port ");
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
            assertThat(shed).as("connections refused for want of descriptors; the server began: %s",
                    firstLines(child.stderr())).isPositive();
            for (int i = 0; i < regulars.size(); i++) {
                echoes(regulars.get(i), 10 + i);
            }

            // a spinning loop thread uses about a whole CPU; a waiting one next to nothing
            ChildJvm.ThreadShare busiest = child.busiestThreadWhileIdle(Duration.ofSeconds(1));
            assertThat(busiest.share()).as("share of a CPU the busiest thread (%s) used in an idle second of the flood",
                    busiest.name()).isLessThan(0.25);

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
            child.endInput();
            assertThat(child.exitCode()).as("clean exit; stderr: " + child.stderr()).isZero();
            assertThat(child.stderr()).contains("out of descriptors");
        } finally {
            for (java.net.Socket socket : flood) {
                socket.close();
            }
        }
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
    private static String firstLines(String stderr) {
        return stderr.length() <= 4000 ? stderr : stderr.substring(0, 4000) + "...";
    }
}
