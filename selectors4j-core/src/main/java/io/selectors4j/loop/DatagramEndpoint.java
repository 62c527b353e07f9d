package io.selectors4j.loop;

import io.selectors4j.Errno;
import io.selectors4j.NativeIOException;
import io.selectors4j.net.PythonText;
import io.selectors4j.net.Socket;
import io.selectors4j.selectors.Events;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * A UDP socket driven by its loop: the {@link DatagramTransport} its {@link DatagramProtocol} sends
 * with, and the selector key's handler that receives (a bounded number of datagrams per readable event)
 * and sends what had to wait. Errors of sends and receives (ECONNREFUSED from an ICMP port-unreachable
 * answer, for one) go to {@link DatagramProtocol#errorReceived} and the endpoint stays open.
 *
 * <p>A datagram the socket cannot take at once waits in a queue of at most {@link #QUEUE_LIMIT} bytes;
 * beyond that it is dropped and ENOBUFS reported, as a full kernel queue would. A datagram longer than
 * UDP allows ({@link #MAX_DATAGRAM} bytes) is never handed to the socket nor queued: EMSGSIZE is
 * reported, as the kernel reports it for one just over the IPv4 or IPv6 limit. A {@code null} target
 * sends to the connected remote.
 *
 * <p>Receiving allocates per datagram: {@link Socket#recvFrom(byte[])} returns a new
 * {@link Socket.Received} holding a new sender address, which the protocol is given. The bytes themselves
 * go into the loop's one datagram array, without allocation.
 */
final class DatagramEndpoint implements DatagramTransport, Handler, LoopResource {
    /** Bytes of datagrams that may wait for the socket. */
    static final int QUEUE_LIMIT = 1024 * 1024;
    /** UDP's length field is 16 bits: no datagram can carry more (the kernel refuses above 65,507 on IPv4). */
    static final int MAX_DATAGRAM = 65_535;
    private static final int RECEIVES_PER_EVENT = 16;

    /** A datagram waiting to be sent. */
    private record Waiting(byte[] data, SocketAddress target) {
    }

    private final EventLoop loop;
    private final Socket socket;
    private final DatagramProtocol protocol;
    private final SocketAddress local;
    private final SocketAddress remote;
    private final String name;
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    private long waitingBytes;
    private int interest;
    /** Loop thread: close has run here, so later sends are dropped (sends made before it are not). */
    private boolean closeStarted;
    private boolean closed;
    /** Set at once by close() on any thread, for {@link #isClosing()} only. */
    private volatile boolean closing;

    private DatagramEndpoint(EventLoop loop, Socket socket, DatagramProtocol protocol, SocketAddress local,
            SocketAddress remote) {
        this.loop = loop;
        this.socket = socket;
        this.protocol = protocol;
        this.local = local;
        this.remote = remote;
        this.name = "datagram endpoint " + PythonText.address(local);
    }

    /** Binds (and connects when {@code remote} is given) on the caller's thread, then receives on the loop. */
    static DatagramEndpoint open(EventLoop loop, SocketAddress local, SocketAddress remote,
            Supplier<? extends DatagramProtocol> factory) throws IOException {
        if (!(local instanceof InetSocketAddress inet) || inet.isUnresolved()) {
            throw new IllegalArgumentException("a datagram endpoint binds to a resolved InetSocketAddress, not "
                    + local);
        }
        Socket socket = inet.getAddress() instanceof Inet6Address ? Socket.udp6() : Socket.udp4();
        DatagramEndpoint endpoint;
        try {
            socket.bind(local);
            if (remote != null) {
                socket.connect(remote);
            }
            socket.setBlocking(false);
            DatagramProtocol protocol = Objects.requireNonNull(factory.get(), "the protocol factory returned null");
            endpoint = new DatagramEndpoint(loop, socket, protocol, socket.localAddress(), remote);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
        if (!loop.execute(endpoint::start)) {
            socket.close();
            throw EventLoop.closedError();
        }
        return endpoint;
    }

    // ---- DatagramTransport ----

    @Override
    public EventLoop loop() {
        return loop;
    }

    @Override
    public void sendTo(byte[] data, int off, int len, SocketAddress target) {
        Objects.checkFromIndexSize(off, len, data.length);
        checkTarget(target);
        if (loop.inLoop()) {
            sendOnLoop(data, off, len, target);
        } else if (len > MAX_DATAGRAM) {
            loop.execute(() -> tooLong(len)); // reported on the loop like any failed send, with no copy
        } else if (!closing) {
            byte[] copy = Arrays.copyOfRange(data, off, off + len);
            loop.execute(() -> sendOnLoop(copy, 0, copy.length, target));
        }
    }

    @Override
    public void sendTo(ByteBuffer data, SocketAddress target) {
        checkTarget(target);
        int len = data.remaining();
        if (len > MAX_DATAGRAM) {
            data.position(data.limit());
            loop.execute(() -> tooLong(len));
            return;
        }
        if (closing && !loop.inLoop()) {
            data.position(data.limit()); // dropped, as after close on the loop
            return;
        }
        byte[] copy = new byte[len];
        data.get(copy);
        loop.execute(() -> sendOnLoop(copy, 0, copy.length, target));
    }

    @Override
    public void close() {
        closing = true;
        loop.execute(this::closeOnLoop);
    }

    @Override
    public boolean isClosing() {
        return closing;
    }

    @Override
    public SocketAddress localAddress() {
        return local;
    }

    // ---- Handler ----

    @Override
    public void ready(int events) {
        if ((events & Events.WRITE) != 0 && !closed) {
            sendWaiting();
        }
        if ((events & Events.READ) != 0 && !closed) {
            receive();
        }
    }

    @Override
    public void descriptorLost(int errno) {
        finishClose(new NativeIOException("recvfrom", errno, "the endpoint's socket was closed behind the loop"));
    }

    @Override
    public void closeNow() {
        closing = true;
        finishClose(null);
    }

    @Override
    public String toString() {
        return name;
    }

    // ---- on the loop ----

    private void start() {
        if (closed) {
            return;
        }
        try {
            loop.track(this);
        } catch (RejectedExecutionException closing) {
            closeUnstarted(); // the loop closed before the endpoint started: its protocol never hears
            return;
        }
        try {
            loop.readiness().register(socket, Events.READ, this);
            interest = Events.READ;
        } catch (IOException | RuntimeException e) {
            finishClose(e);
            return;
        }
        try {
            protocol.connectionMade(this);
        } catch (RuntimeException | Error e) {
            loop.callbackFailed("connectionMade of " + name, e);
        }
    }

    private void receive() {
        byte[] array = loop.buffers().datagramArray();
        for (int i = 0; i < RECEIVES_PER_EVENT && !closed; i++) {
            Socket.Received received;
            try {
                received = socket.recvFrom(array);
            } catch (IOException e) {
                reportError(e);
                return;
            }
            if (received == null) {
                return;
            }
            try {
                protocol.datagramReceived(loop.buffers().datagramView(received.length()), received.sender());
            } catch (RuntimeException | Error e) {
                loop.callbackFailed("datagramReceived of " + name, e);
            }
        }
    }

    private void sendOnLoop(byte[] data, int off, int len, SocketAddress target) {
        if (closeStarted || closed) {
            return;
        }
        if (len > MAX_DATAGRAM) {
            tooLong(len);
            return;
        }
        if (waiting.isEmpty()) {
            try {
                if (sendNow(data, off, len, target) != Socket.WOULD_BLOCK) {
                    return;
                }
            } catch (IOException e) {
                reportError(e);
                return;
            }
        }
        if (waitingBytes + len > QUEUE_LIMIT) {
            reportError(new NativeIOException("sendto", Errno.ENOBUFS, "the endpoint's send queue is full"));
            return;
        }
        waiting.add(new Waiting(Arrays.copyOfRange(data, off, off + len), target));
        waitingBytes += len;
        setInterest(Events.READ | Events.WRITE);
    }

    private void sendWaiting() {
        Waiting next;
        while ((next = waiting.peek()) != null) {
            try {
                if (sendNow(next.data(), 0, next.data().length, next.target()) == Socket.WOULD_BLOCK) {
                    return;
                }
            } catch (IOException e) {
                reportError(e);
                if (closed) {
                    return; // the protocol closed the endpoint, which dropped the queue
                }
            }
            waiting.poll();
            waitingBytes -= next.data().length;
        }
        setInterest(Events.READ);
        if (closeStarted) {
            finishClose(null);
        }
    }

    private int sendNow(byte[] data, int off, int len, SocketAddress target) throws IOException {
        return target == null ? socket.send(data, off, len) : socket.sendTo(data, off, len, target);
    }

    /** A datagram longer than UDP allows: the protocol hears EMSGSIZE, as from the kernel. */
    private void tooLong(int len) {
        if (!closeStarted && !closed) {
            reportError(new NativeIOException("sendto", Errno.EMSGSIZE,
                    "a datagram of " + len + " bytes; UDP carries at most " + MAX_DATAGRAM));
        }
    }

    private void closeOnLoop() {
        closing = true;
        closeStarted = true;
        if (!closed && waiting.isEmpty()) {
            finishClose(null);
        }
    }

    private void finishClose(Throwable cause) {
        if (closed) {
            return;
        }
        closed = true;
        closing = true;
        closeStarted = true;
        waiting.clear();
        waitingBytes = 0;
        try {
            socket.close();
        } catch (IOException e) {
            // the descriptor is released either way
        }
        loop.untrack(this);
        loop.soon(() -> {
            try {
                protocol.connectionLost(cause);
            } catch (RuntimeException | Error e) {
                loop.callbackFailed("connectionLost of " + name, e);
            }
        });
    }

    private void closeUnstarted() {
        closed = true;
        closing = true;
        closeStarted = true;
        try {
            socket.close();
        } catch (IOException e) {
            // the descriptor is released either way
        }
    }

    private void setInterest(int wanted) {
        if (wanted == interest || closed) {
            return;
        }
        try {
            loop.readiness().modify(socket, wanted, this);
            interest = wanted;
        } catch (IOException e) {
            finishClose(e);
        }
    }

    private void reportError(IOException error) {
        try {
            protocol.errorReceived(error);
        } catch (RuntimeException | Error e) {
            loop.callbackFailed("errorReceived of " + name, e);
        }
    }

    /** A wrong target is the caller's mistake, refused on its thread; a send that fails is reported on the loop. */
    private void checkTarget(SocketAddress target) {
        if (target == null && remote == null) {
            throw new IllegalArgumentException("a null target needs an endpoint connected to a remote address");
        }
        if (target != null && !(target instanceof InetSocketAddress inet && !inet.isUnresolved())) {
            throw new IllegalArgumentException("a datagram goes to a resolved InetSocketAddress, not " + target);
        }
    }
}
