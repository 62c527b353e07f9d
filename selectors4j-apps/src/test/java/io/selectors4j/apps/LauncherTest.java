package io.selectors4j.apps;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.testkit.ChildJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/s4j}'s build-when-stale path, run for real in a copy of the launcher: it builds the jar
 * when it is missing or older than a pom or a source of the core or apps module, not otherwise, then
 * runs it with the arguments; a failed build is reported with exit code 2. The Maven wrapper there
 * is a stand-in that records its arguments and "builds" a tiny jar, so the test costs no real build.
 */
@Timeout(120)
class LauncherTest {
    private static final String BUILD = "-q -B package -DskipTests -pl selectors4j-apps -am";
    /** The line bin/s4j says on stderr before it builds. */
    private static final String BUILDING = "s4j: building selectors4j-apps/target/s4j\\.jar with .*\n";

    @TempDir
    private Path root;

    @Test
    void theJarIsBuiltWhenMissingOrStaleAndRunWithTheArguments() throws Exception {
        Path repository = repositoryRoot();
        Files.createDirectories(root.resolve("bin/lib"));
        Files.copy(repository.resolve("bin/s4j"), root.resolve("bin/s4j"));
        Files.copy(repository.resolve("bin/lib/jdk.sh"), root.resolve("bin/lib/jdk.sh"));
        Path corePom = write("selectors4j-core/pom.xml", "<project/>");
        write("selectors4j-apps/pom.xml", "<project/>");
        write("pom.xml", "<project/>");
        Path coreSource = write("selectors4j-core/src/main/java/io/selectors4j/Thing.java", "class Thing {}");
        write("selectors4j-apps/src/main/java/io/selectors4j/apps/App.java", "class App {}");
        write("mvnw", """
                #!/usr/bin/env bash
                echo "$*" >> mvnw.calls
                if [ -n "${FAKE_BUILD_FAILS:-}" ]; then echo "[ERROR] the stand-in build failed"; exit 1; fi
                mkdir -p selectors4j-apps/target && cp "$FAKE_JAR" selectors4j-apps/target/s4j.jar
                """);
        Files.setPosixFilePermissions(root.resolve("mvnw"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Path fakeJar = root.resolve("probe.jar");
        writeProbeJar(fakeJar);
        Path jar = root.resolve("selectors4j-apps/target/s4j.jar");
        ageEverything(Instant.now().minus(1, ChronoUnit.HOURS));

        Result first = launch(fakeJar, false, "info", "--x");
        assertThat(first.out()).as("no jar: built, then run; stderr %s", first.err()).isEqualTo("probe info --x\n");
        assertThat(first.exitCode()).isZero();
        assertThat(first.err()).as("the build is announced and timed on stderr").matches(BUILDING + "s4j: built in \\d+ s\n");
        assertThat(builds()).containsExactly(BUILD);

        Result again = launch(fakeJar, false, "again");
        assertThat(again.out()).isEqualTo("probe again\n");
        assertThat(again.err()).as("nothing said when nothing is built").isEmpty();
        assertThat(builds()).as("a jar newer than every source is not rebuilt").hasSize(1);

        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minus(10, ChronoUnit.MINUTES)));
        Files.setLastModifiedTime(coreSource, FileTime.from(Instant.now().minus(5, ChronoUnit.MINUTES)));
        assertThat(launch(fakeJar, false).out()).isEqualTo("probe\n");
        assertThat(builds()).as("a core source newer than the jar").hasSize(2);

        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minus(10, ChronoUnit.MINUTES)));
        Files.setLastModifiedTime(corePom, FileTime.from(Instant.now().minus(5, ChronoUnit.MINUTES)));
        Result failed = launch(fakeJar, true, "info");
        assertThat(failed.exitCode()).as("a failed build").isEqualTo(2);
        assertThat(failed.out()).as("nothing run").isEmpty();
        assertThat(failed.err()).matches(BUILDING + "\\[ERROR\\] the stand-in build failed\ns4j: the build failed \\(see above\\)\n");
        assertThat(builds()).as("a pom newer than the jar").hasSize(3);
    }

    private record Result(int exitCode, String out, String err) {}

    private Result launch(Path fakeJar, boolean buildFails, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(root.resolve("bin/s4j").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("FAKE_JAR", fakeJar.toString());
        if (buildFails) {
            builder.environment().put("FAKE_BUILD_FAILS", "1");
        } else {
            builder.environment().remove("FAKE_BUILD_FAILS");
        }
        Process process = builder.start();
        StringBuilder err = new StringBuilder();
        Thread errors = Thread.ofVirtual().start(() -> {
            try {
                err.append(new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                err.append(e);
            }
        });
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(ChildJvm.PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("bin/s4j ended").isTrue();
        errors.join();
        return new Result(process.exitValue(), out, err.toString());
    }

    private List<String> builds() throws IOException {
        Path calls = root.resolve("mvnw.calls");
        return Files.exists(calls) ? Files.readAllLines(calls) : List.of();
    }

    private Path write(String name, String text) throws IOException {
        Path file = root.resolve(name);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    /** Sets every file's time to {@code time}, so that only what a test touches later is newer. */
    private void ageEverything(Instant time) throws IOException {
        try (var files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                Files.setLastModifiedTime(file, FileTime.from(time));
            }
        }
    }

    /** A jar whose main class is {@link LauncherProbe}, taken from the test classes. */
    private static void writeProbeJar(Path jar) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, LauncherProbe.class.getName());
        String entry = LauncherProbe.class.getName().replace('.', '/') + ".class";
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
             var in = LauncherProbe.class.getClassLoader().getResourceAsStream(entry)) {
            out.putNextEntry(new JarEntry(entry));
            in.transferTo(out);
            out.closeEntry();
        }
    }

    /** The checkout the tests run in: the folder above the module that holds bin/s4j. */
    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("bin/s4j"))) {
                return dir;
            }
        }
        throw new AssertionError("no bin/s4j above " + Path.of("").toAbsolutePath());
    }
}
