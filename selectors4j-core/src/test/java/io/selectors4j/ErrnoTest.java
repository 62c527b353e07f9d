package io.selectors4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The public errno constants, defined from the platform layer, still work as a program uses them. */
class ErrnoTest {

    @Test
    void theConstantsAreCompileTimeConstantsAProgramCanSwitchOn() {
        assertThat(List.of(Errno.EAGAIN, Errno.EBADF, Errno.ECONNRESET, Errno.EPIPE, 1000))
                .extracting(ErrnoTest::kind).containsExactly("retry", "closed", "peer", "peer", "other");
    }

    @Test
    void everyNumberHasTheLinuxSymbolAndMessage() {
        assertThat(Errno.EBADF).isEqualTo(9);
        assertThat(Errno.name(Errno.EBADF)).isEqualTo("EBADF");
        assertThat(Errno.message(Errno.ECONNREFUSED)).isEqualTo("Connection refused");
        assertThat(Errno.name(Errno.EWOULDBLOCK)).as("one number, one symbol").isEqualTo("EAGAIN");
        assertThat(Errno.name(4242)).isEqualTo("E4242");
        assertThat(Errno.message(-1)).isEqualTo("Unknown error -1");
    }

    private static String kind(int errno) {
        return switch (errno) { // case labels must be constant expressions
            case Errno.EAGAIN -> "retry";
            case Errno.EBADF -> "closed";
            case Errno.ECONNRESET, Errno.EPIPE -> "peer";
            default -> "other";
        };
    }
}
