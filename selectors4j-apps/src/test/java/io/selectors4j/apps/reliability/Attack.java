package io.selectors4j.apps.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.testkit.Clients;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hostile clients all at once against one server: senders that never read (each sends 1 MiB, or
 * until the server and the kernel take no more), slowloris clients that trickle one byte a second, and a storm
 * of connect-and-reset clients. Closing the attack resets every connection it holds.
 */
final class Attack implements AutoCloseable {
    private final List<SocketChannel> nonReaders = new ArrayList<>();
    private final List<SocketChannel> slowClients = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong resets = new AtomicLong();
    private final AtomicLong failedConnects = new AtomicLong();
    private final AtomicLong trickled = new AtomicLong();
    private final Thread trickler;
    private final Thread storm;
    private final byte[] trickle;
    private final int plannedNonReaders;
    private final int plannedSlowClients;

    /**
     * What the attack did: the non-readers connected, how many the server closed, the bytes they got
     * out in all and the fewest one still open got out; the slow clients connected and the bytes they
     * trickled; the storm's connect-and-resets and its connects that failed.
     */
    record Count(int nonReaders, int nonReadersClosed, long bytesPushed, long leastPushed, int slowClients,
            long bytesTrickled, long resets, long failedConnects) {}

    private final Clients.Pushed pushed;

    /**
     * What the hostile clients send: each non-reader its prefix and then its unit over and over, at
     * most {@code nonReaderBytes}; each slow client the bytes of {@code trickle}, one a second.
     */
    record Payloads(byte[] nonReaderPrefix, byte[] nonReaderUnit, int nonReaderBytes, byte[] trickle) {}

    /**
     * Opens {@code nonReaders} senders and fills them, opens {@code slowClients} slowloris clients,
     * and starts the storm at about {@code resetsPerSecond}; the slow clients send {@code trickle}
     * a byte at a time (a packet, say, so the server waits for its end).
     */
    Attack(int port, int nonReaders, int slowClients, int resetsPerSecond, Payloads payloads) throws IOException {
        this.plannedNonReaders = nonReaders;
        this.plannedSlowClients = slowClients;
        byte[] trickle = payloads.trickle();
        this.trickle = trickle;
        for (int i = 0; i < nonReaders; i++) {
            this.nonReaders.add(Clients.openNonBlocking(port));
        }
        this.pushed = Clients.sendUntilBlocked(this.nonReaders, payloads.nonReaderBytes(),
                payloads.nonReaderPrefix(), payloads.nonReaderUnit());
        for (int i = 0; i < slowClients; i++) {
            this.slowClients.add(Clients.openNonBlocking(port));
        }
        this.trickler = Thread.ofPlatform().name("slowloris").start(this::trickle);
        this.storm = Thread.ofPlatform().name("reset-storm").start(() -> storm(port, resetsPerSecond));
    }

    private void trickle() {
        ByteBuffer one = ByteBuffer.allocate(1);
        for (int second = 0; running.get(); second++) {
            for (SocketChannel slow : slowClients) {
                one.clear();
                one.put(trickle[second % trickle.length]).flip();
                try {
                    trickled.addAndGet(slow.write(one));
                } catch (IOException e) {
                    // The server dropped it: a fair answer to a slowloris client.
                }
            }
            sleepQuietly(Duration.ofSeconds(1));
        }
    }

    private void storm(int port, int perSecond) {
        long periodNanos = 1_000_000_000L / perSecond;
        long next = System.nanoTime();
        while (running.get()) {
            try {
                Socket socket = Clients.connect(port);
                Clients.reset(socket);
                resets.incrementAndGet();
            } catch (IOException e) {
                failedConnects.incrementAndGet(); // counted: a storm that never connects is no attack
            }
            next += periodNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                sleepQuietly(Duration.ofNanos(wait));
            }
        }
    }

    private void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            running.set(false);
        }
    }

    /** What the attack has done so far. */
    Count count() {
        return new Count(nonReaders.size(), pushed.closedByServer(), pushed.total(), pushed.least(),
                slowClients.size(), trickled.get(), resets.get(), failedConnects.get());
    }

    /**
     * Checks that the attack landed, so that what the test measures during it means something: every
     * hostile client connected; each non-reader the server did not close (at most {@code mayClose} of
     * them it may close: it noticed them) got at least {@code pastBound} bytes out, more than the server
     * may hold for it; every slow client trickled; the storm reset at least {@code leastResets}
     * connections.
     */
    void assertLanded(long pastBound, int mayClose, long leastResets) {
        Count count = count();
        assertThat(count.nonReaders()).as("non-readers connected; %s", count).isEqualTo(plannedNonReaders);
        assertThat(count.nonReadersClosed()).as("non-readers the server closed; %s", count)
                .isLessThanOrEqualTo(mayClose);
        if (count.nonReadersClosed() < count.nonReaders()) {
            assertThat(count.leastPushed()).as("the fewest bytes a non-reader still open got out; %s", count)
                    .isGreaterThanOrEqualTo(pastBound);
        }
        assertThat(count.slowClients()).as("slow clients connected; %s", count).isEqualTo(plannedSlowClients);
        assertThat(count.bytesTrickled()).as("bytes trickled, at least one per slow client; %s", count)
                .isGreaterThanOrEqualTo(plannedSlowClients);
        assertThat(count.resets()).as("connections reset by the storm; %s", count).isGreaterThanOrEqualTo(leastResets);
    }

    /** The number of connections the attack holds open at once, not counting the storm's. */
    int held() {
        return nonReaders.size() + slowClients.size();
    }

    @Override
    public void close() throws IOException {
        running.set(false);
        trickler.interrupt();
        storm.interrupt();
        try {
            trickler.join();
            storm.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (SocketChannel channel : nonReaders) {
            Clients.reset(channel);
        }
        for (SocketChannel channel : slowClients) {
            Clients.reset(channel);
        }
    }
}
