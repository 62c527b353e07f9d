package io.selectors4j.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Opening and closing 100,000 sockets leaves the process with exactly the descriptors it had. */
@Timeout(30)
class DescriptorChurnTest {
    private static final int SOCKETS = 100_000;
    private static final int BATCH = 500;

    @Test
    void oneHundredThousandSocketsComeAndGoWithoutALeak() throws Exception {
        long before = openDescriptors();
        Socket[] batch = new Socket[BATCH];
        int opened = 0;
        while (opened < SOCKETS) {
            for (int i = 0; i < BATCH; i += 2) {
                Socket.Pair pair = Socket.pair();
                batch[i] = pair.first();
                batch[i + 1] = pair.second();
            }
            assertThat(openDescriptors()).isGreaterThanOrEqualTo(before + BATCH);
            for (int i = 0; i < BATCH; i++) {
                batch[i].close();
            }
            opened += BATCH;
        }
        for (int i = 0; i < 1000; i++) {
            Socket.tcp4().close();
        }
        assertThat(openDescriptors()).isEqualTo(before);
    }

    private static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
