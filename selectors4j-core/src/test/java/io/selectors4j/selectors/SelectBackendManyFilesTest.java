package io.selectors4j.selectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.selectors4j.net.Fd;
import io.selectors4j.net.Socket;
import io.selectors4j.testkit.Needs;
import io.selectors4j.testkit.OnceBlocked;
import io.selectors4j.testkit.Proc;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The select backend opens, wakes and reports readiness with 1,100 descriptors open. */
@Timeout(30)
class SelectBackendManyFilesTest extends TracksResources {
    private static final int OPEN = 1_100;

    private final RawDescriptors raw = track(new RawDescriptors());
    private final List<Integer> copies = new ArrayList<>();
    private Socket.Pair pair;

    @BeforeEach
    void openMany() throws IOException {
        Needs.openFiles(OPEN + 1_000);
        pair = pair();
        for (int i = 0; i < OPEN; i++) {
            copies.add(raw.dup(pair.first().fileno()));
        }
    }

    @Test
    void withEveryLowNumberTakenItOpensAndAWakeupEndsABlockedSelect() throws Exception {
        Selector selector = track(Selector.open(Backend.SELECT));
        assumeThat(selector.wakeup.fd()).as("no number below 1024 was free").isGreaterThanOrEqualTo(1024);
        int low = copies.stream().filter(fd -> fd < 1024).findFirst().orElseThrow();
        SelectorKey key = selector.register(Fd.of(low), Events.READ, "low");

        assertAWakeupEndsABlockedSelect(selector);

        pair.second().send(new byte[] {1}, 0, 1);
        assertThat(selector.select(Duration.ofSeconds(5))).containsExactly(new ReadyKey(key, Events.READ));
        assertThat(selector.select(Duration.ofMillis(50))).as("a timed wait ends").hasSize(1);
    }

    @Test
    void withALowNumberFreeTheWakeupDescriptorTakesIt() throws Exception {
        int freed = copies.stream().filter(fd -> fd > 100 && fd < 1024).findFirst().orElseThrow();
        raw.close(freed);
        Selector selector = track(Selector.open(Backend.SELECT));
        assertThat(selector.wakeup.fd()).as("the lowest free number, %d or lower", freed).isLessThanOrEqualTo(freed);
        assertAWakeupEndsABlockedSelect(selector);
        assertThat(Proc.eventFdCount(selector.wakeup.fd())).as("drained").isZero();
    }

    private static void assertAWakeupEndsABlockedSelect(Selector selector) throws Exception {
        OnceBlocked waker = OnceBlocked.wakeup(selector);
        assertThat(selector.select(null)).isEmpty();
        waker.join();
    }
}
