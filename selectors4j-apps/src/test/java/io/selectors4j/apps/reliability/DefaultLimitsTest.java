package io.selectors4j.apps.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.apps.Run;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The rule for every server's defaults (docs/RELIABILITY.md, the limits table): what clients can make
 * it hold at its default limits, read from its own {@code --help}, fits the JVM's default heap on a
 * small machine, 512 MiB (a quarter of 2 GiB) less 32 MiB for the JVM and the program. What one
 * connection can hold at most is the figure the hostile-client tests check the heap against.
 */
class DefaultLimitsTest {
    private static final long BUDGET_KIB = (512 - 32) * 1024;
    /** A connection's socket, key and protocol objects. */
    private static final long OBJECTS_KIB = 2;
    /** The event loop reads 64 KiB at a time: a write queue may pass its high mark by one read. */
    private static final long LOOP_READ_KIB = 64;
    /** Chat: one packet past the queue bound, and one partial frame being received. */
    private static final long CHAT_FRAME_KIB = 64;

    @Test
    void echoServerFitsASmallMachinesDefaultHeap() {
        String help = help("echo-server");
        long worst = option(help, "--max-connections") * (option(help, "--max-queue") / 1024 + OBJECTS_KIB);
        assertThat(worst).as("echo-server's worst case, KiB").isLessThanOrEqualTo(BUDGET_KIB);
    }

    @Test
    void selectServerFitsASmallMachinesDefaultHeap() {
        long worst = option(help("select-server"), "--max-connections") * (OBJECTS_KIB / 2);
        assertThat(worst).as("select-server's worst case, KiB").isLessThanOrEqualTo(BUDGET_KIB);
    }

    @Test
    void chatServerFitsASmallMachinesDefaultHeap() {
        String help = help("chat-server");
        long worst = option(help, "--max-connections") * chatConnectionKib(option(help, "--max-queue"));
        assertThat(worst).as("chat-server's worst case, KiB").isLessThanOrEqualTo(BUDGET_KIB);
    }

    @Test
    void serveWithAllItsServicesFitsASmallMachinesDefaultHeap() {
        String help = help("serve");
        long connections = option(help, "--max-connections");
        long echo = connections * (option(help, "--echo-high-water") / 1024 + LOOP_READ_KIB + OBJECTS_KIB);
        long time = connections * OBJECTS_KIB;
        long chat = connections * chatConnectionKib(option(help, "--chat-max-queue"));
        assertThat(echo + time + chat).as("serve's worst case, KiB (echo %d, time %d, chat %d)", echo, time, chat)
                .isLessThanOrEqualTo(BUDGET_KIB);
    }

    @Test
    void noServerIsWithoutAConnectionLimitByDefault() {
        for (String server : new String[] {"echo-server", "select-server", "chat-server", "serve"}) {
            assertThat(option(help(server), "--max-connections")).as(server).isPositive();
        }
    }

    private static long chatConnectionKib(long maxQueueBytes) {
        return maxQueueBytes / 1024 + CHAT_FRAME_KIB + CHAT_FRAME_KIB + OBJECTS_KIB;
    }

    private static String help(String program) {
        return Run.of(program, "--help").out().replaceAll("\\s+", " ");
    }

    /** The default an option's help text gives: {@code --max-queue=BYTES ... (default: 65536)}. */
    private static long option(String help, String name) {
        // In the option list (not the usage line, where it is in brackets), up to the next option.
        Matcher matcher = Pattern.compile(" " + Pattern.quote(name) + "=\\S+ (?:(?! -).)*?\\(default: (\\d+)\\)")
                .matcher(help);
        assertThat(matcher.find()).as("the default of %s in %s", name, help).isTrue();
        return Long.parseLong(matcher.group(1));
    }
}
