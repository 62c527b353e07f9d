package io.selectors4j.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.testkit.Proc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Opening and closing 100,000 sockets leaves the process with exactly the descriptors it had. */
@Timeout(30)
class DescriptorChurnTest {
    private static final int SOCKETS = 100_000;
    private static final int BATCH = 500;

    @Test
    void oneHundredThousandSocketsComeAndGoWithoutALeak() throws Exception {
        int before = Proc.openFds(Proc.SELF);
        Socket[] batch = new Socket[BATCH];
        int opened = 0;
        while (opened < SOCKETS) {
            for (int i = 0; i < BATCH; i += 2) {
                Socket.Pair pair = Socket.pair();
                batch[i] = pair.first();
                batch[i + 1] = pair.second();
            }
            assertThat(Proc.openFds(Proc.SELF)).isGreaterThanOrEqualTo(before + BATCH);
            for (int i = 0; i < BATCH; i++) {
                batch[i].close();
            }
            opened += BATCH;
        }
        for (int i = 0; i < 1000; i++) {
            Socket.tcp4().close();
        }
        assertThat(Proc.openFds(Proc.SELF)).isEqualTo(before);
    }
}
