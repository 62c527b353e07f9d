package io.selectors4j.apps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launchers in {@code bin/} as a new user meets them: in a fresh shell whose {@code java} is older
 * than 25 and with no {@code JAVA_HOME}, {@code bin/mvn} and {@code bin/java} find a JDK 25 as
 * {@code bin/s4j} does, and a plain {@code ./mvnw} says what to do instead of failing on a JVM option;
 * {@code bin/s4j} says on stderr that it is building, and how long it took.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class LaunchersTest {
    /** The project's folder: tests run in the apps module's. */
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Path JVMS = Path.of("/usr/lib/jvm");

    @TempDir
    private Path folder;

    @Test
    void binJavaAndBinMvnUseAJdk25WhenTheShellsJavaIsOlder() throws Exception {
        Path oldJava = olderJdk().orElse(null);
        assumeTrue(oldJava != null, "no JDK older than 25 under /usr/lib/jvm to play the shell's java");
        Map<String, String> env = freshShell(oldJava);

        Result java = run(env, ROOT.resolve("bin/java").toString(), "-version");
        assertThat(java.exitCode()).as(java.toString()).isZero();
        assertThat(java.err()).containsPattern("version \"(2[5-9]|[3-9][0-9])");

        Result mvn = run(env, ROOT.resolve("bin/mvn").toString(), "-v");
        assertThat(mvn.exitCode()).as(mvn.toString()).isZero();
        assertThat(mvn.out()).containsPattern("Java version: (2[5-9]|[3-9][0-9])");
    }

    @Test
    void plainMvnwWithAnOlderJavaStopsWithWhatToDo() throws Exception {
        Path oldJava = olderJdk().orElse(null);
        assumeTrue(oldJava != null, "no JDK older than 25 under /usr/lib/jvm to play the shell's java");

        Result mvnw = run(freshShell(oldJava), ROOT.resolve("mvnw").toString(), "-B", "-ntp", "-o", "-q",
                "-f", ROOT.resolve("pom.xml").toString(), "validate", "-N");

        assertThat(mvnw.exitCode()).isNotZero();
        assertThat(mvnw.out() + mvnw.err())
                .doesNotContain("Unrecognized option", "Could not create the Java Virtual Machine")
                .contains("selectors4j builds with a JDK 25 or newer. bin/mvn runs Maven with one it finds");
    }

    @Test
    void s4jSaysOnStderrThatItBuildsAndKeepsStdoutForTheProgram() throws Exception {
        Path root = fakeProject("touch selectors4j-apps/target/s4j.jar");
        Map<String, String> env = Map.of("PATH", "/usr/bin:/bin", "JAVA_HOME", fakeJdk().toString());

        Result first = run(env, root.resolve("bin/s4j").toString(), "info");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.err().lines().toList()).hasSize(2);
        assertThat(first.err().lines().toList().getFirst()).startsWith(
                "s4j: building selectors4j-apps/target/s4j.jar with " + env.get("JAVA_HOME"));
        assertThat(first.err().lines().toList().getLast()).matches("s4j: built in \\d+ s");
        assertThat(first.out()).isEqualTo("java -jar " + root.resolve("selectors4j-apps/target/s4j.jar") + " info\n");

        Result second = run(env, root.resolve("bin/s4j").toString(), "info");
        assertThat(second.err()).as("the jar is fresh: no build").isEmpty();
        assertThat(second.out()).isEqualTo(first.out());
    }

    @Test
    void aFailedBuildShowsMavensOutputAndExitsTwo() throws Exception {
        Path root = fakeProject("echo '[ERROR] COMPILATION ERROR in Foo.java'; exit 1");
        Map<String, String> env = Map.of("PATH", "/usr/bin:/bin", "JAVA_HOME", fakeJdk().toString());

        Result run = run(env, root.resolve("bin/s4j").toString(), "info");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("s4j: building", "[ERROR] COMPILATION ERROR in Foo.java",
                "s4j: the build failed (see above)");
    }

    /** A copy of the launchers in a project whose {@code mvnw} runs {@code build} instead of Maven. */
    private Path fakeProject(String build) throws IOException {
        Path root = Files.createDirectories(folder.resolve("project"));
        Files.createDirectories(root.resolve("bin/lib"));
        for (String launcher : List.of("bin/s4j", "bin/lib/jdk.sh")) {
            Files.copy(ROOT.resolve(launcher), root.resolve(launcher));
        }
        for (String module : List.of("", "selectors4j-core/", "selectors4j-apps/")) {
            Files.createDirectories(root.resolve(module.isEmpty() ? "." : module));
            Files.writeString(root.resolve(module + "pom.xml"), "<project/>\n");
        }
        Files.createDirectories(root.resolve("selectors4j-apps/target"));
        executable(root.resolve("mvnw"), "#!/bin/sh\n" + build + "\n");
        return root;
    }

    /** A JDK 25 as the launchers see one (its release file) whose java prints its arguments. */
    private Path fakeJdk() throws IOException {
        Path jdk = Files.createDirectories(folder.resolve("jdk"));
        Files.writeString(jdk.resolve("release"), "JAVA_VERSION=\"25.0.1\"\n");
        Files.createDirectories(jdk.resolve("bin"));
        executable(jdk.resolve("bin/java"), "#!/bin/sh\necho java \"$@\"\n");
        return jdk;
    }

    private static void executable(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** A JDK older than 25 in /usr/lib/jvm, as the machine's default java often is. */
    private static Optional<Path> olderJdk() throws IOException {
        if (!Files.isDirectory(JVMS)) {
            return Optional.empty();
        }
        try (Stream<Path> jdks = Files.list(JVMS)) {
            return jdks.filter(jdk -> Files.isExecutable(jdk.resolve("bin/java")))
                    .filter(jdk -> featureRelease(jdk) > 0 && featureRelease(jdk) < 25)
                    .sorted().findFirst();
        }
    }

    private static int featureRelease(Path jdk) {
        try {
            for (String line : Files.readAllLines(jdk.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String version = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    return Integer.parseInt(version.replaceFirst("^1\\.", "").split("[^0-9]")[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    /** A new login's environment: no JAVA_HOME, the old JDK's java first on PATH. */
    private Map<String, String> freshShell(Path oldJdk) {
        return Map.of("PATH", oldJdk.resolve("bin") + ":/usr/bin:/bin", "HOME", System.getProperty("user.home"));
    }

    private record Result(int exitCode, String out, String err) { }

    private Result run(Map<String, String> env, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(List.of(command))).directory(folder.toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        String[] errText = new String[1];
        Thread err = Thread.ofVirtual().start(() -> {
            try {
                errText[0] = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                errText[0] = e.toString();
            }
        });
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("%s ended", List.of(command)).isTrue();
        err.join();
        return new Result(process.exitValue(), out, errText[0]);
    }
}
