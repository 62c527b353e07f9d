package io.selectors4j.apps.chat;

import io.selectors4j.loop.EventLoop;
import io.selectors4j.loop.Server;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** A chat service on its own event loop thread, on a free loopback port, with its log kept. */
final class ChatServerFixture implements AutoCloseable {
    private final List<String> log = new ArrayList<>();
    private final EventLoop loop;
    private final Server server;
    private final Thread thread;

    ChatServerFixture(ChatOptions options) throws IOException {
        this(new InetSocketAddress("127.0.0.1", 0), options);
    }

    ChatServerFixture(InetSocketAddress address, ChatOptions options) throws IOException {
        loop = EventLoop.open();
        server = ChatService.start(loop, address, options, this::logged);
        thread = Thread.ofPlatform().name("chat-loop").start(loop::run);
    }

    ChatServerFixture() throws IOException {
        this(ChatOptions.defaults());
    }

    InetSocketAddress address() {
        return (InetSocketAddress) server.address();
    }

    private synchronized void logged(String line) {
        log.add(line);
        notifyAll();
    }

    /** The lines logged so far. */
    synchronized List<String> log() {
        return List.copyOf(log);
    }

    /** Waits (bounded) until a logged line matches. */
    synchronized void awaitLog(Predicate<String> line) throws InterruptedException {
        long deadline = System.nanoTime() + ChatTestClient.WAIT.toNanos();
        while (log.stream().noneMatch(line)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no such log line in " + log);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    @Override
    public void close() throws InterruptedException {
        loop.stop();
        thread.join(Duration.ofSeconds(20));
        loop.close();
    }
}
