package io.selectors4j.apps;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine.Command;

@Timeout(10)
class S4jTest {

    @Test
    void helpListsTheSubcommandsAndSucceeds() {
        Run run = Run.of("--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("Usage: s4j").contains("info", "--version", "--debug");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void versionIsTheProjectVersion() {
        Run run = Run.of("--version");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).matches("s4j \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\R");
    }

    @Test
    void unknownOptionIsAUsageError() {
        Run run = Run.of("--bogus");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("s4j: Unknown option: '--bogus'")
                .contains("Try 's4j --help' for more information.");
    }

    @Test
    void unknownOptionOfASubcommandIsAUsageError() {
        Run run = Run.of("info", "--bogus");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("s4j info: Unknown option: '--bogus'")
                .contains("Try 's4j info --help' for more information.");
    }

    @Test
    void missingSubcommandIsAUsageError() {
        Run run = Run.of();

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("s4j: Missing subcommand");
    }

    @Test
    void runtimeFailureIsOneLineWithoutStackTrace() {
        Run run = Run.of(S4j.commandLine().addSubcommand(new Failing()), "fail");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("s4j fail: connection refused" + System.lineSeparator());
    }

    @Test
    void debugAddsTheStackTrace() {
        Run run = Run.of(S4j.commandLine().addSubcommand(new Failing()), "fail", "--debug");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("s4j fail: connection refused")
                .contains("java.io.IOException: connection refused", "at " + Failing.class.getName());
    }

    /** A subcommand that fails as a program does when the system says no. */
    @Command(name = "fail")
    static final class Failing implements Callable<Integer> {
        @Override
        public Integer call() throws java.io.IOException {
            throw new java.io.IOException("connection refused");
        }
    }
}
