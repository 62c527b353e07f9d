package io.selectors4j.apps.tls;

import io.selectors4j.apps.common.Reads;
import io.selectors4j.loop.EventLoop;
import io.selectors4j.loop.Protocol;
import io.selectors4j.loop.TlsSettings;
import io.selectors4j.loop.TlsTransport;
import io.selectors4j.loop.Transport;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link Link} over a TLS connection of the event loop: the loop runs on one daemon thread shared
 * by every link of the program; the bytes it receives wait in this link until a caller takes them
 * (reading from the server stops while more than 1 MiB waits).
 */
final class TlsLink implements Link, Protocol {
    private static final int MOST_WAITING = 1 << 20;
    private static volatile EventLoop shared;

    private final Object lock = new Object();
    private byte[] waiting = new byte[16 * 1024];
    private int start;
    private int end;
    private boolean ended;
    private Throwable failure;
    private boolean paused;
    private volatile TlsTransport transport;

    private TlsLink() {
    }

    /** Connects and completes the handshake, or fails in one line. */
    static TlsLink connect(InetSocketAddress address, TlsSettings tls, String host, int port) throws IOException {
        TlsLink link = new TlsLink();
        try {
            link.transport = loop().connect(address, () -> link, Reads.PATIENCE, tls)
                    .get(Reads.PATIENCE.toSeconds() + tls.handshakeTimeout().toSeconds(), TimeUnit.SECONDS);
            return link;
        } catch (ExecutionException e) {
            throw Link.connectFailure(host, port, e.getCause());
        } catch (TimeoutException | CancellationException e) {
            throw new IOException("cannot connect to " + host + " port " + port + ": no answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while connecting");
        }
    }

    private static EventLoop loop() throws IOException {
        EventLoop loop = shared;
        if (loop == null) {
            synchronized (TlsLink.class) {
                loop = shared;
                if (loop == null) {
                    loop = EventLoop.open();
                    EventLoop running = loop;
                    Thread.ofPlatform().daemon().name("s4j-tls-client").start(running::run);
                    shared = loop;
                }
            }
        }
        return loop;
    }

    // ---- Link ----

    @Override
    public void sendAll(byte[] data) throws IOException {
        synchronized (lock) {
            if (failure != null) {
                throw new IOException("connection lost: " + failure.getMessage(), failure);
            }
        }
        transport.write(data);
    }

    @Override
    public int recv(byte[] data, int off, int len, boolean patient) throws IOException {
        long deadline = System.nanoTime() + Reads.PATIENCE.toNanos();
        synchronized (lock) {
            while (start == end && !ended) {
                long left = deadline - System.nanoTime();
                if (!patient && left <= 0) {
                    throw new IOException("no answer within " + Reads.PATIENCE.toSeconds() + " s");
                }
                try {
                    lock.wait(patient ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while receiving");
                }
            }
            if (start == end) {
                if (failure != null) {
                    throw new IOException(failure.getMessage(), failure);
                }
                return 0;
            }
            int n = Math.min(len, end - start);
            System.arraycopy(waiting, start, data, off, n);
            start += n;
            if (paused && end - start < MOST_WAITING / 2) {
                paused = false;
                transport.resumeReading();
            }
            return n;
        }
    }

    @Override
    public void finishSending() {
        transport.writeEof();
    }

    @Override
    public SocketAddress localAddress() {
        return transport.localAddress();
    }

    @Override
    public void close() {
        transport.close();
        synchronized (lock) {
            ended = true;
            lock.notifyAll();
        }
    }

    // ---- Protocol, on the loop thread ----

    @Override
    public void connectionMade(Transport transport) {
        this.transport = (TlsTransport) transport;
    }

    @Override
    public void dataReceived(ByteBuffer data) {
        synchronized (lock) {
            if (waiting.length - end < data.remaining()) {
                int held = end - start;
                byte[] target = waiting.length - held < data.remaining()
                        ? new byte[Math.max(waiting.length * 2, held + data.remaining())] : waiting;
                System.arraycopy(waiting, start, target, 0, held);
                waiting = target;
                start = 0;
                end = held;
            }
            int n = data.remaining();
            data.get(waiting, end, n);
            end += n;
            if (end - start > MOST_WAITING && !paused) {
                paused = true;
                transport.pauseReading();
            }
            lock.notifyAll();
        }
    }

    @Override
    public boolean eofReceived() {
        synchronized (lock) {
            ended = true;
            lock.notifyAll();
        }
        return false;
    }

    @Override
    public void connectionLost(Throwable cause) {
        synchronized (lock) {
            ended = true;
            if (cause != null && failure == null) {
                failure = cause;
            }
            lock.notifyAll();
        }
    }
}
