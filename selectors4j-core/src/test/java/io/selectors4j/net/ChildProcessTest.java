package io.selectors4j.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.selectors4j.loop.EventLoop;
import io.selectors4j.selectors.Events;
import io.selectors4j.selectors.ReadyKey;
import io.selectors4j.selectors.Selector;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A child process's output watched with a selector or an event loop through {@link Pipe#start}: what
 * the child writes arrives on the sources as it is written, each source reads end of stream once the
 * child has exited, and this process keeps no write end that would hold it open.
 */
@Timeout(30)
class ChildProcessTest {

    @Test
    void aSelectorWatchesStandardOutputAndErrorApartUntilBothEnd() throws Exception {
        try (Pipe out = Pipe.open(); Pipe err = Pipe.open(); Selector selector = Selector.open()) {
            Process child = Pipe.start(new ProcessBuilder("sh", "-c",
                    "echo to out; echo to err >&2; sleep 0.2; printf 'late, no newline'"), out, err);
            assertThat(out.sink().isClosed()).as("this process holds no write end").isTrue();
            Map<Pipe.End, ByteArrayOutputStream> received = new HashMap<>();
            for (Pipe pipe : List.of(out, err)) {
                pipe.source().setBlocking(false);
                selector.register(pipe.source(), Events.READ);
                received.put(pipe.source(), new ByteArrayOutputStream());
            }
            byte[] buffer = new byte[4096];
            while (!selector.getMap().isEmpty()) {
                for (ReadyKey ready : selector.select(Duration.ofSeconds(10))) {
                    Pipe.End source = (Pipe.End) ready.key().fileobj();
                    int n = source.read(buffer);
                    if (n > 0) {
                        received.get(source).write(buffer, 0, n);
                    } else if (n == 0) {
                        selector.unregister(source);
                    }
                }
            }

            assertThat(received.get(out.source()).toString(StandardCharsets.UTF_8)).isEqualTo("to out\nlate, no newline");
            assertThat(received.get(err.source()).toString(StandardCharsets.UTF_8)).isEqualTo("to err\n");
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).isZero();
        }
    }

    @Test
    void anEventLoopReadsAMegabyteFromAChildWithoutBlocking() throws Exception {
        try (Pipe out = Pipe.open(); EventLoop loop = EventLoop.open()) {
            Process child = Pipe.start(new ProcessBuilder("head", "-c", "1048576", "/dev/zero"), out, null);
            out.source().setBlocking(false);
            long[] total = new long[1];
            byte[] buffer = new byte[16 * 1024];
            loop.addReader(out.source(), () -> {
                try {
                    for (int n = out.source().read(buffer); n != Pipe.WOULD_BLOCK; n = out.source().read(buffer)) {
                        if (n == 0) {
                            loop.removeReader(out.source());
                            loop.stop();
                            return;
                        }
                        total[0] += n;
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            loop.callLater(Duration.ofSeconds(20), loop::stop);
            loop.run();

            assertThat(total[0]).isEqualTo(1 << 20);
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void onePipeTakesBothStreamsInTheOrderWritten() throws Exception {
        try (Pipe both = Pipe.open()) {
            Process child = Pipe.start(new ProcessBuilder("sh", "-c", "echo one; echo two >&2; echo three"), both, both);
            byte[] all = readToEnd(both.source());

            assertThat(new String(all, StandardCharsets.UTF_8)).isEqualTo("one\ntwo\nthree\n");
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void theSourceEndsWhenTheChildDiesWhateverIsOpenHere() throws Exception {
        try (Pipe out = Pipe.open()) {
            Process child = Pipe.start(new ProcessBuilder("sleep", "30"), out, null);
            child.destroyForcibly();

            assertThat(out.source().read(new byte[16])).as("end of stream, not a hang").isZero();
        }
    }

    @Test
    void aClosedPipeIsRefusedAndNoChildStarts() throws Exception {
        Pipe out = Pipe.open();
        out.close();

        assertThatThrownBy(() -> Pipe.start(new ProcessBuilder("true"), out, null)).isInstanceOf(IOException.class);
    }

    private static byte[] readToEnd(Pipe.End source) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        for (int n = source.read(buffer); n > 0; n = source.read(buffer)) {
            all.write(buffer, 0, n);
        }
        return all.toByteArray();
    }
}
