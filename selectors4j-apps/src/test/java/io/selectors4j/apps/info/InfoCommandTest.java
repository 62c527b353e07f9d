package io.selectors4j.apps.info;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.ResourceLimits;
import io.selectors4j.apps.Run;
import io.selectors4j.select.Epoll;
import io.selectors4j.select.Poll;
import io.selectors4j.select.Select;
import io.selectors4j.selectors.Selector;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

@Timeout(10)
class InfoCommandTest {

    @Test
    void printsOneLinePerFactAndSucceeds() throws Exception {
        Run run = Run.of("info");
        ResourceLimits.Limit files = ResourceLimits.openFiles();
        String defaultBackend;
        try (Selector selector = Selector.open()) {
            defaultBackend = selector.backend().name().toLowerCase(Locale.ROOT);
        }

        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out().lines()).containsExactly(
                "os:               " + System.getProperty("os.name") + " " + System.getProperty("os.version")
                        + " (" + System.getProperty("os.arch") + ")",
                "jdk:              " + Runtime.version() + " (" + System.getProperty("java.vendor")
                        + "), java.home " + System.getProperty("java.home"),
                "open files:       soft " + text(files.soft()) + ", hard " + text(files.hard()),
                "select:           " + availability(Select.isAvailable()),
                "poll:             " + availability(Poll.isAvailable()),
                "epoll:            " + availability(Epoll.isAvailable()),
                "default selector: " + defaultBackend);
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void linuxHasEveryReadinessCallAndPrefersEpoll() {
        Run run = Run.of("info");

        assertThat(run.out()).contains(
                "select:           available",
                "poll:             available",
                "epoll:            available",
                "default selector: epoll");
    }

    @Test
    void helpDescribesTheCommand() {
        Run run = Run.of("info", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("Usage: s4j info").contains("open-files limit");
    }

    private static String text(long limit) {
        return limit < 0 || limit == Long.MAX_VALUE ? "unlimited" : Long.toString(limit);
    }

    private static String availability(boolean available) {
        return available ? "available" : "not available";
    }
}
