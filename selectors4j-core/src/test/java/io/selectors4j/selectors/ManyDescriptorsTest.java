package io.selectors4j.selectors;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.net.Socket;
import io.selectors4j.testkit.Needs;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** 10,000 registered sockets: exactly the ready ones come back. */
@Timeout(60)
class ManyDescriptorsTest {
    private static final int SOCKETS = 10_000;
    private static final int READY = 100;

    @ParameterizedTest
    @EnumSource(value = Backend.class, names = {"EPOLL", "POLL"})
    void tenThousandRegisteredSocketsReportExactlyTheReadyOnes(Backend backend) throws IOException {
        Needs.openFiles(SOCKETS + 500);
        List<Socket.Pair> pairs = new ArrayList<>();
        try (Selector selector = Selector.open(backend)) {
            for (int i = 0; i < SOCKETS / 2; i++) {
                Socket.Pair pair = Socket.pair();
                pairs.add(pair);
                selector.register(pair.first(), Events.READ, i);
                selector.register(pair.second(), Events.READ, -1);
            }
            assertThat(selector.getMap()).hasSize(SOCKETS);
            Set<Integer> expected = new HashSet<>();
            Random random = new Random(42);
            while (expected.size() < READY) {
                int i = random.nextInt(pairs.size());
                if (expected.add(i)) {
                    pairs.get(i).second().send(new byte[] {1}, 0, 1);
                }
            }
            Set<Object> seen = new HashSet<>();
            int delivered = selector.select(Duration.ofSeconds(5), (key, events) -> {
                assertThat(events).isEqualTo(Events.READ);
                assertThat(seen.add(key.data())).isTrue();
            });
            assertThat(delivered).isEqualTo(READY);
            assertThat(seen).isEqualTo(expected);
        } finally {
            for (Socket.Pair pair : pairs) {
                pair.first().close();
                pair.second().close();
            }
        }
    }
}
