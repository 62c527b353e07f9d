package io.selectors4j.select;

import static io.selectors4j.select.Poll.POLLIN;
import static io.selectors4j.select.Poll.POLLOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.selectors4j.net.Pipe;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Registration changes on a large {@link Poll} leave it correct: 50,000 descriptors registered, each
 * replaced by a new one four times over while the rest stay (a busy server's churn), then all
 * unregistered. That each change costs constant time, whatever the size, is measured by
 * {@code PollRegistrationBenchmark} (docs/BENCHMARKS.md, "Poll registration churn"), not here: the
 * timeout only ends a run that hangs.
 */
class PollScaleTest {
    private static final int COUNT = 50_000;
    private static final int CHURN_ROUNDS = 4;
    private static final int FIRST_NUMBER = 1_000_000;

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void fiftyThousandRegistrationsChurnAndLeaveAndTheSurvivorsAreStillReported() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            int source = pipe.source().fileno();
            int sink = pipe.sink().fileno();
            Poll poll = new Poll();
            poll.register(source, POLLIN);
            List<Integer> numbers = new ArrayList<>();
            for (int i = 0; i < COUNT; i++) {
                numbers.add(FIRST_NUMBER + i);
            }
            Collections.shuffle(numbers, new Random(42));
            for (int fd : numbers) {
                poll.register(fd, POLLIN);
            }
            poll.register(sink, POLLOUT);
            for (int round = 0; round < CHURN_ROUNDS; round++) {
                for (int i = 0; i < COUNT; i++) {
                    int leaving = numbers.get(i);
                    int arriving = leaving + COUNT;
                    poll.unregister(leaving);
                    poll.register(arriving, POLLIN);
                    poll.modify(arriving, POLLOUT);
                    numbers.set(i, arriving);
                }
            }
            Collections.shuffle(numbers, new Random(7));
            for (int fd : numbers) {
                poll.unregister(fd);
            }

            assertThat(poll.poll(0)).containsExactly(new Poll.Event(sink, POLLOUT));
            pipe.sink().write(new byte[] {1});
            assertThat(poll.poll(0)).containsExactlyInAnyOrder(
                    new Poll.Event(source, POLLIN), new Poll.Event(sink, POLLOUT));
            assertThatThrownBy(() -> poll.unregister(numbers.get(0))).isInstanceOf(NoSuchElementException.class);
            assertThatThrownBy(() -> poll.unregister(FIRST_NUMBER)).isInstanceOf(NoSuchElementException.class);
            poll.unregister(source);
            poll.unregister(sink);
            assertThat(poll.poll(0)).isEmpty();
        }
    }
}
