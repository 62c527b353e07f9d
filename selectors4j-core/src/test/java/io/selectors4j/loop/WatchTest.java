package io.selectors4j.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.selectors4j.Selectable;
import io.selectors4j.net.Fd;
import io.selectors4j.net.Pipe;
import io.selectors4j.net.Socket;
import io.selectors4j.testkit.Proc;
import io.selectors4j.testkit.LoopBackends;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** addReader/addWriter on pipes and raw descriptors, beside sockets on the same loop. */
class WatchTest {

    @ParameterizedTest
    @MethodSource(LoopBackends.EPOLL_AND_IO_URING)
    void oneLoopServesASocketAndAPipe(LoopBackend backend) throws Exception {
        try (RunningLoop running = RunningLoop.start(backend); Pipe pipe = Pipe.open()) {
            pipe.source().setBlocking(false);
            ByteArrayOutputStream fromPipe = new ByteArrayOutputStream();
            CountDownLatch pipeDone = new CountDownLatch(1);
            running.call(() -> {
                running.loop.addReader(pipe.source(), () -> {
                    byte[] buffer = new byte[256];
                    try {
                        int n = pipe.source().read(buffer);
                        if (n > 0) {
                            fromPipe.write(buffer, 0, n);
                        } else if (n == 0) {
                            running.loop.removeReader(pipe.source());
                            pipeDone.countDown();
                        }
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                return null;
            });
            Server server = running.loop.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    StreamTransportTest.Echo::new);
            try (java.net.Socket socket = StreamTransportTest.client(server)) {
                for (int i = 0; i < 50; i++) {
                    byte[] line = ("line " + i + "\n").getBytes(StandardCharsets.US_ASCII);
                    pipe.sink().write(line);
                    socket.getOutputStream().write(line);
                    assertThat(StreamTransportTest.readFully(socket.getInputStream(), line.length)).isEqualTo(line);
                }
                pipe.sink().close();
                assertThat(pipeDone.await(20, TimeUnit.SECONDS)).isTrue();
            }
            StringBuilder expected = new StringBuilder();
            for (int i = 0; i < 50; i++) {
                expected.append("line ").append(i).append('\n');
            }
            assertThat(fromPipe.toString(StandardCharsets.US_ASCII)).isEqualTo(expected.toString());
            assertThat(running.failures).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource(LoopBackends.EPOLL_AND_IO_URING)
    void readersAndWritersReplaceAndRemoveAsAsyncio(LoopBackend backend) throws Exception {
        try (RunningLoop running = RunningLoop.start(backend); Pipe pipe = Pipe.open()) {
            Fd raw = Fd.of(pipe.source().fileno());
            AtomicInteger first = new AtomicInteger();
            CountDownLatch second = new CountDownLatch(1);
            CountDownLatch writable = new CountDownLatch(1);
            running.call(() -> {
                assertThat(running.loop.removeReader(raw)).isFalse();
                running.loop.addReader(raw, first::incrementAndGet);
                running.loop.addReader(raw, second::countDown); // replaces the first
                running.loop.addWriter(pipe.sink(), () -> {
                    writable.countDown();
                    running.loop.removeWriter(pipe.sink());
                });
                return null;
            });
            assertThat(writable.await(20, TimeUnit.SECONDS)).isTrue();
            pipe.sink().write(new byte[] {1});
            assertThat(second.await(20, TimeUnit.SECONDS)).isTrue();
            assertThat(running.call(() -> running.loop.removeReader(raw))).isTrue();
            assertThat(running.call(() -> running.loop.removeReader(raw))).isFalse();
            assertThat(running.call(() -> running.loop.removeWriter(pipe.sink()))).isFalse();
            assertThat(first.get()).isZero();
        }
    }

    @ParameterizedTest
    @MethodSource(LoopBackends.EPOLL_AND_IO_URING)
    void aWatchedDescriptorClosedWithoutRemovingItsReaderDoesNotHurtTheLoop(LoopBackend backend) throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            Pipe owned = Pipe.open();
            Pipe raw = Pipe.open();
            running.call(() -> {
                running.loop.addReader(owned.source(), () -> {
                });
                running.loop.addReader(Fd.of(raw.source().fileno()), () -> {
                });
                return null;
            });
            int rawNumber = raw.source().fileno();
            owned.close(); // a selectors4j pipe end: its key goes as it closes
            raw.close(); // a raw number: found dead by the selector
            try (Pipe reused = Pipe.open()) {
                CountDownLatch read = new CountDownLatch(1);
                running.call(() -> {
                    running.loop.addReader(reused.source(), () -> {
                        running.loop.removeReader(reused.source());
                        read.countDown();
                    });
                    return null;
                });
                reused.sink().write(new byte[] {1});
                assertThat(read.await(20, TimeUnit.SECONDS)).isTrue();
                assertThat(running.failures).as("only the dead raw watch is ever reported")
                        .allSatisfy(f -> assertThat(f).contains("watch of Fd[fileno=" + rawNumber + "]"));
            }
        }
    }

    @ParameterizedTest
    @MethodSource(LoopBackends.EPOLL_AND_IO_URING)
    void watchesBelongToTheLoopThreadWhileItRuns(LoopBackend backend) throws Exception {
        try (RunningLoop running = RunningLoop.start(backend); Pipe pipe = Pipe.open()) {
            assertThatThrownBy(() -> running.loop.addReader(pipe.source(), () -> {
            })).isInstanceOf(IllegalStateException.class).hasMessageContaining("loop thread");
        }
    }

    @ParameterizedTest
    @MethodSource(LoopBackends.EPOLL_AND_IO_URING)
    void aDescriptorUsedByATransportCannotBeWatched(LoopBackend backend) throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            StreamTransportTest.Echo echo = new StreamTransportTest.Echo();
            Server server = running.loop.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), () -> echo);
            try (java.net.Socket socket = StreamTransportTest.client(server)) {
                echo.made.get(20, TimeUnit.SECONDS);
                int fd = Proc.tcpSocketFd(((InetSocketAddress) server.address()).getPort(), socket.getLocalPort())
                        .orElseThrow(); // the accepted connection's descriptor, as the kernel lists it
                assertThatThrownBy(() -> running.call(() -> {
                    running.loop.addReader(Fd.of(fd), () -> {
                    });
                    return null;
                })).hasCauseInstanceOf(IllegalStateException.class);
            }
        }
    }

    @ParameterizedTest
    @MethodSource(LoopBackends.ALL)
    void aReaderOnANumberReusedAfterAForgottenWatchIsReallyWatched(LoopBackend backend) throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            Pipe first = Pipe.open();
            int number = first.source().fileno();
            running.call(() -> {
                running.loop.addReader(Fd.of(number), () -> { });
                return null;
            });
            first.close(); // without removeReader: the number is free for the next pipe
            try (Pipe second = Pipe.open()) {
                assertThat(second.source().fileno()).isEqualTo(number);
                CountDownLatch fired = new CountDownLatch(1);
                running.call(() -> {
                    running.loop.addReader(second.source(), fired::countDown);
                    return null;
                });
                second.sink().write(new byte[] {1});
                assertThat(fired.await(10, TimeUnit.SECONDS)).as("%s: the new pipe's reader", backend).isTrue();
                assertThat(running.failures).as("%s: the forgotten watch is reported", backend)
                        .anySatisfy(failure -> assertThat(failure).contains("closed while watched"));
            }
        }
    }

    /**
     * Both callbacks of a watch are due in one dispatch, and the reader does something that must stop
     * the writer from running on the descriptor's number: removes the writer, closes the object, or
     * removes the watch and watches a new file that got the same number (as an object or a raw number).
     */
    @ParameterizedTest
    @MethodSource(LoopBackends.EPOLL_AND_IO_URING)
    void aWriterDoesNotRunAfterItsReaderRemovedOrClosedItsWatchInTheSameDispatch(LoopBackend backend) throws Exception {
        for (String action : new String[] {"remove the writer", "close the object", "watch a new file",
                "watch a new file by number"}) {
            try (RunningLoop running = RunningLoop.start(backend)) {
                Socket.Pair pair = Socket.pair();
                int number = pair.first().fileno();
                Socket.Pair[] replacement = new Socket.Pair[1];
                AtomicInteger writerRuns = new AtomicInteger();
                CountDownLatch readerRan = new CountDownLatch(1);
                boolean raw = action.endsWith("by number");
                Selectable watched = raw ? Fd.of(number) : pair.first();
                pair.second().send(new byte[] {1}); // readable and writable: both are due at once
                running.call(() -> {
                    running.loop.addReader(watched, () -> {
                        try {
                            react(running.loop, action, watched, pair, replacement);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        } finally {
                            readerRan.countDown();
                        }
                    });
                    running.loop.addWriter(watched, writerRuns::incrementAndGet);
                    return null;
                });
                assertThat(readerRan.await(20, TimeUnit.SECONDS)).isTrue();
                for (int i = 0; i < 3; i++) {
                    running.call(() -> null); // more iterations in which the old writer must not run
                }
                if (replacement[0] != null) {
                    assumeThat(replacement[0].first().fileno()).as("the new file got the number").isEqualTo(number);
                }
                assertThat(writerRuns.get()).as("%s: the old watch's writer runs", action).isZero();
                running.call(() -> running.loop.removeReader(raw ? Fd.of(number) : watched));
                closeAll(pair, replacement[0]);
            }
        }
    }

    private static void react(EventLoop loop, String action, Selectable watched, Socket.Pair pair,
            Socket.Pair[] replacement) throws IOException {
        switch (action) {
            case "remove the writer" -> loop.removeWriter(watched);
            case "close the object" -> pair.first().close();
            default -> {
                loop.removeReader(watched); // the writer stays: the watch is still registered
                int number = pair.first().fileno();
                pair.first().close();
                replacement[0] = Socket.pair();
                loop.addReader(action.endsWith("by number") ? Fd.of(number) : replacement[0].first(), () -> { });
            }
        }
    }

    private static void closeAll(Socket.Pair... pairs) throws IOException {
        for (Socket.Pair pair : pairs) {
            if (pair != null) {
                pair.first().close();
                pair.second().close();
            }
        }
    }
}
