package io.selectors4j.select;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.net.Pipe;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many pipes at once: wait for writable writers, pick one at random, send its own message, then wait
 * for readers; exactly that writer's reader must be ready and read exactly that message. Each writer
 * sends a fixed number of messages and is then dropped, until every writer is done.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class StressTest {
    private static final int PIPES = 12;
    private static final int MESSAGES_EACH = 10;
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final List<Pipe> pipes = new ArrayList<>();
    private final Random random = new Random(42);
    private final int[] sent = new int[PIPES];

    @BeforeEach
    void openPipes() throws Exception {
        for (int i = 0; i < PIPES; i++) {
            pipes.add(Pipe.open());
        }
    }

    @AfterEach
    void closePipes() throws Exception {
        for (Pipe pipe : pipes) {
            pipe.close();
        }
    }

    @Test
    void select() throws Exception {
        List<Pipe.End> writers = new ArrayList<>(pipes.stream().map(Pipe::sink).toList());
        List<Pipe.End> readers = pipes.stream().map(Pipe::source).toList();
        List<Pipe.End> none = List.of();
        while (!writers.isEmpty()) {
            List<Pipe.End> writable = Select.select(none, writers, none, WAIT).writable();
            assertThat(writable).isNotEmpty();
            int index = indexOfSink(writable.get(random.nextInt(writable.size())));
            send(index);
            List<Pipe.End> readable = Select.select(readers, none, none, WAIT).readable();
            assertThat(readable).containsExactly(pipes.get(index).source());
            receive(index);
            if (sent[index] == MESSAGES_EACH) {
                writers.remove(pipes.get(index).sink());
            }
        }
        assertAllSent();
    }

    @Test
    void poll() throws Exception {
        Poll writers = new Poll();
        Poll readers = new Poll();
        for (Pipe pipe : pipes) {
            writers.register(pipe.sink(), Poll.POLLOUT);
            readers.register(pipe.source(), Poll.POLLIN);
        }
        int active = PIPES;
        while (active > 0) {
            List<Poll.Event> writable = writers.poll(WAIT.toMillis());
            assertThat(writable).isNotEmpty().allMatch(e -> e.events() == Poll.POLLOUT);
            int index = indexOfSink(writable.get(random.nextInt(writable.size())).fd());
            send(index);
            assertThat(readers.poll(WAIT.toMillis()))
                    .containsExactly(new Poll.Event(pipes.get(index).source().fileno(), Poll.POLLIN));
            receive(index);
            if (sent[index] == MESSAGES_EACH) {
                writers.unregister(pipes.get(index).sink());
                active--;
            }
        }
        assertAllSent();
    }

    @Test
    void epoll() throws Exception {
        try (Epoll writers = Epoll.open(); Epoll readers = Epoll.open()) {
            for (Pipe pipe : pipes) {
                writers.register(pipe.sink(), Epoll.EPOLLOUT);
                readers.register(pipe.source(), Epoll.EPOLLIN);
            }
            int active = PIPES;
            while (active > 0) {
                int count = writers.pollReady(WAIT.toMillis(), PIPES);
                assertThat(count).isPositive();
                int index = indexOfSink(writers.readyFd(random.nextInt(count)));
                send(index);
                assertThat(readers.poll(WAIT))
                        .containsExactly(new Epoll.Event(pipes.get(index).source().fileno(), Epoll.EPOLLIN));
                receive(index);
                if (sent[index] == MESSAGES_EACH) {
                    writers.unregister(pipes.get(index).sink());
                    active--;
                }
            }
        }
        assertAllSent();
    }

    private int indexOfSink(Pipe.End sink) {
        return indexOfSink(sink.fileno());
    }

    private int indexOfSink(int fd) {
        for (int i = 0; i < PIPES; i++) {
            if (pipes.get(i).sink().fileno() == fd) {
                return i;
            }
        }
        throw new AssertionError("not a writer: " + fd);
    }

    private static byte[] message(int index, int number) {
        return ("writer " + index + " message " + number).getBytes(StandardCharsets.US_ASCII);
    }

    private void send(int index) throws Exception {
        byte[] message = message(index, sent[index]);
        assertThat(pipes.get(index).sink().write(message)).isEqualTo(message.length);
    }

    private void receive(int index) throws Exception {
        byte[] expected = message(index, sent[index]);
        byte[] buffer = new byte[expected.length + 16];
        int n = pipes.get(index).source().read(buffer);
        assertThat(new String(buffer, 0, n, StandardCharsets.US_ASCII))
                .isEqualTo(new String(expected, StandardCharsets.US_ASCII));
        sent[index]++;
    }

    private void assertAllSent() {
        assertThat(sent).containsOnly(MESSAGES_EACH);
    }
}
