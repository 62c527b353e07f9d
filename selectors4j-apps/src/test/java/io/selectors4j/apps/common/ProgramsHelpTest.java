package io.selectors4j.apps.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.apps.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProgramsHelpTest {

    @ParameterizedTest
    @ValueSource(strings = {"serve", "echo-server", "echo-client", "slow-client", "time-server", "time-client",
            "select-server", "select-client"})
    void everyProgramExplainsItselfAndSucceeds(String program) {
        Run run = Run.of(program, "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("Usage: s4j " + program).contains("--help");
        assertThat(run.err()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"echo-server", "time-server", "select-server"})
    void serversOfferTheSharedOptions(String program) {
        assertThat(Run.of(program, "--help").out()).contains("--host", "--backend", "--quiet");
    }

    @ParameterizedTest
    @ValueSource(strings = {"echo-server", "select-server", "chat-server", "serve"})
    void everyServerTellsItsConnectionLimitAndItsDefault(String program) {
        String help = Run.of(program, "--help").out().replaceAll("\\s+", " ");

        assertThat(help).contains("--max-connections=N", "0 for no limit (default: 1000)");
    }

    @Test
    void everyQueueOptionTellsItsDefault() {
        assertThat(Run.of("echo-server", "--help").out().replaceAll("\\s+", " "))
                .contains("--max-queue=BYTES", "until it drains (default: 65536)");
        assertThat(Run.of("serve", "--help").out().replaceAll("\\s+", " "))
                .contains("--echo-high-water=BYTES", "(default: 65536)", "--echo-low-water=BYTES", "(default: 16384)",
                        "--chat-max-queue=BYTES", "(default: 131072)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--port=-1", "--port=65536", "--port=x", "--backend=kqueue", "--timeout=0", "--timeout=-1"})
    void badOptionsAreUsageErrors(String option) {
        Run run = Run.of("echo-server", option);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("s4j echo-server: Invalid value for option");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "1,x", "5,1", "-1,2"})
    void aBadIntervalIsAUsageError(String interval) {
        Run run = Run.of("select-client", "p", "127.0.0.1", "9", "--interval", interval);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("s4j select-client: --interval must be MIN,MAX seconds");
    }
}
