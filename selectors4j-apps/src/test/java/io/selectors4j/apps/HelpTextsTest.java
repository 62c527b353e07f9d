package io.selectors4j.apps;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every program's {@code --help} in one style: a one-line imperative summary, which is also its row in
 * {@code s4j --help}; placeholders in capitals ({@code --host=HOST}, never {@code --host=<host>});
 * every option that takes a value tells its default, and every bound an option enforces is said in its
 * help, not only in the error.
 */
class HelpTextsTest {
    /** The width {@code s4j --help} gives a summary in its list of programs (80 columns less the names). */
    private static final int SUMMARY_WIDTH = 63;

    /** What each kind of value must say about its bounds, by its placeholder. */
    private static final Map<String, List<String>> BOUNDS_BY_LABEL = Map.of(
            "BYTES", List.of("1 to 1073741824", "1 up to the high water", "1 or more"),
            "SECONDS", List.of("up to 1000000"),
            "N", List.of("0 for no limit", "1 to ", "1 or more"));

    static Stream<String> programs() {
        return S4j.commandLine().getSubcommands().keySet().stream();
    }

    private static CommandLine program(String name) {
        return S4j.commandLine().getSubcommands().get(name);
    }

    @ParameterizedTest
    @MethodSource("programs")
    void theSummaryIsOneImperativeSentenceThatFitsItsRow(String name) {
        String summary = program(name).getCommandSpec().usageMessage().description()[0];

        assertThat(summary).as("summary of %s", name).matches("[A-Z][a-z]+ [^\\n]*\\.").hasSizeLessThanOrEqualTo(SUMMARY_WIDTH);
        String verb = summary.substring(0, summary.indexOf(' '));
        assertThat(verb).as("the summary of %s starts with a verb in the imperative, not '%s'", name, verb)
                .doesNotEndWith("s");
    }

    @Test
    void theListOfProgramsShowsEverySummaryWholeOnOneLine() {
        String help = Run.of("--help").out();
        List<String> rows = help.substring(help.indexOf("Commands:\n") + "Commands:\n".length()).lines().toList();

        assertThat(rows).as("one row per program, none continued").hasSize((int) programs().count());
        for (String name : programs().toList()) {
            String summary = program(name).getCommandSpec().usageMessage().description()[0];
            assertThat(rows).as("the row of %s", name).anyMatch(row -> row.matches("  " + name + " +" + java.util.regex.Pattern.quote(summary)));
        }
    }

    @ParameterizedTest
    @MethodSource("programs")
    void placeholdersAreCapitalsNeverAngleBrackets(String name) {
        Run help = Run.of(name, "--help");

        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).startsWith("Usage: s4j " + name).doesNotContainPattern("<[A-Za-z]+>");
    }

    @ParameterizedTest
    @MethodSource("programs")
    void everyOptionThatTakesAValueTellsItsDefaultAndItsBounds(String name) {
        for (OptionSpec option : program(name).getCommandSpec().options()) {
            if (option.typeInfo().isBoolean() || option.usageHelp() || option.versionHelp()) {
                continue;
            }
            String text = String.join(" ", option.description());
            assertThat(text).as("%s %s", name, option.longestName()).contains("(default: ");
            List<String> bounds = BOUNDS_BY_LABEL.get(option.paramLabel());
            if (bounds != null) {
                assertThat(bounds).as("%s %s says its bounds: %s", name, option.longestName(), text)
                        .anyMatch(text::contains);
            }
        }
    }

    @Test
    void boundsThatOnlyTheErrorsSaidBeforeAreInTheHelp() {
        assertThat(optionText("echo-client", "--connections")).contains("1 to 1000");
        assertThat(optionText("serve", "--loops")).contains("1 to 256");
        assertThat(optionText("select-client", "--interval")).contains("0 <= MIN <= MAX <= 3600");
        assertThat(optionText("bench", "--pipeline")).contains("1 to 4096");
        assertThat(optionText("bench", "--threads")).contains("1 to 256", "at most --connections");
        assertThat(optionText("bench", "--rate")).contains("up to 1e9");
        assertThat(String.join(" ", program("chat-client").getCommandSpec().positionalParameters().getFirst().description()))
                .contains("1 to 32 characters");
    }

    @Test
    void eachServerSaysWhichBackendsItTakes() {
        for (String onTheLoop : List.of("serve", "chat-server", "bench")) {
            assertThat(program(onTheLoop).getCommandSpec().findOption("--backend").paramLabel())
                    .as(onTheLoop).isEqualTo("select|poll|epoll|io_uring");
        }
        for (String onASelector : List.of("select-server", "echo-server", "time-server")) {
            assertThat(program(onASelector).getCommandSpec().findOption("--backend").paramLabel())
                    .as(onASelector).isEqualTo("select|poll|epoll");
            assertThat(optionText(onASelector, "--backend")).as(onASelector).contains("No io_uring");
        }
    }

    private static String optionText(String program, String option) {
        return String.join(" ", program(program).getCommandSpec().findOption(option).description());
    }
}
