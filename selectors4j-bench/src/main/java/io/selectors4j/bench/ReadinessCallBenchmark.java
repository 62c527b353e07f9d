package io.selectors4j.bench;

import io.selectors4j.net.Socket;
import io.selectors4j.select.Epoll;
import io.selectors4j.select.Poll;
import io.selectors4j.select.SelectSet;
import java.io.IOException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The raw readiness calls without a selector: {@code Epoll.pollReady}, {@code Poll.pollReady} and
 * {@code SelectSet.select} over 1,000 sockets of which 10 are ready, results read from the native
 * buffer. Run with {@code -prof gc} to see that none of them allocates.
 */
public class ReadinessCallBenchmark extends BenchmarkSettings {
    private static final int SOCKETS = 1000;
    private static final int READY = 10;

    private ReadyFixture fixture;
    private Epoll epoll;
    private Poll poll;
    private SelectSet selectSet;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        fixture = new ReadyFixture(SOCKETS, READY);
        epoll = Epoll.open();
        poll = new Poll();
        selectSet = new SelectSet();
        for (Socket socket : fixture.sockets) {
            epoll.register(socket.fileno(), Epoll.EPOLLIN);
            poll.register(socket.fileno(), Poll.POLLIN);
        }
    }

    @Benchmark
    public int epollPollReady() throws IOException {
        int count = epoll.pollReady(0, SOCKETS);
        int sum = 0;
        for (int i = 0; i < count; i++) {
            sum += epoll.readyFd(i) + epoll.readyEvents(i);
        }
        return sum;
    }

    @Benchmark
    public int pollPollReady() throws IOException {
        int count = poll.pollReady(0);
        int sum = 0;
        for (int i = 0; i < count; i++) {
            sum += poll.readyFd(i) + poll.readyEvents(i);
        }
        return sum;
    }

    @Benchmark
    public int selectSetSelect() throws IOException {
        selectSet.clear();
        for (Socket socket : fixture.sockets) {
            selectSet.add(socket.fileno(), true, false, false);
        }
        int count = selectSet.select(0);
        int sum = count;
        for (Socket socket : fixture.sockets) {
            sum += selectSet.readable(socket.fileno()) ? 1 : 0;
        }
        return sum;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        epoll.close();
        selectSet.close();
        fixture.close();
    }
}
