package io.selectors4j.apps.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The order of idleness: progress moves a connection to the back; the longest idle expire first. */
class IdleListTest {
    private static final long SECOND = 1_000_000_000L;

    private static final class Connection extends IdleList.Entry {
        final String name;

        Connection(String name) {
            this.name = name;
        }
    }

    private final IdleList<Connection> list = new IdleList<>(Duration.ofSeconds(10));
    private final Connection a = new Connection("a");
    private final Connection b = new Connection("b");
    private final Connection c = new Connection("c");

    private List<String> expireAt(long now) {
        List<String> expired = new ArrayList<>();
        list.expire(now, connection -> expired.add(connection.name));
        return expired;
    }

    @Test
    void theLongestIdleExpireFirstAndOnlyOnce() {
        list.progress(a, 0);
        list.progress(b, SECOND);
        list.progress(c, 2 * SECOND);
        list.progress(a, 3 * SECOND);   // a talks: now the most recent

        assertThat(list.nanosToNextExpiry(5 * SECOND)).isEqualTo(6 * SECOND);   // b's, at 11 s
        assertThat(expireAt(11 * SECOND - 1)).isEmpty();
        assertThat(expireAt(12 * SECOND)).containsExactly("b", "c");
        assertThat(expireAt(12 * SECOND + SECOND / 2)).isEmpty();
        assertThat(expireAt(13 * SECOND)).containsExactly("a");
        assertThat(list.nanosToNextExpiry(14 * SECOND)).isEqualTo(-1);
    }

    @Test
    void aRemovedConnectionNeverExpiresAndCanComeBack() {
        list.progress(a, 0);
        list.progress(b, 0);
        list.progress(c, 0);
        list.remove(b);
        list.remove(b);

        assertThat(expireAt(10 * SECOND)).containsExactly("a", "c");
        list.progress(b, 11 * SECOND);
        assertThat(list.nanosToNextExpiry(11 * SECOND)).isEqualTo(10 * SECOND);
        assertThat(expireAt(100 * SECOND)).containsExactly("b");
    }

    @Test
    void aZeroLimitKeepsNothing() {
        IdleList<Connection> never = new IdleList<>(Duration.ZERO);
        never.progress(a, 0);

        assertThat(never.enabled()).isFalse();
        assertThat(never.nanosToNextExpiry(Long.MAX_VALUE / 2)).isEqualTo(-1);
    }
}
