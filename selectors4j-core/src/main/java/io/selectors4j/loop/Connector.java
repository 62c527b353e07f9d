package io.selectors4j.loop;

import io.selectors4j.Errno;
import io.selectors4j.NativeIOException;
import io.selectors4j.net.Socket;
import io.selectors4j.selectors.Events;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * One non-blocking connect in progress: watches the socket for writability, then reads the outcome
 * ({@code SO_ERROR}) and completes the future with a {@link StreamTransport} or the error. A timeout
 * closes the socket and fails the future with ETIMEDOUT; cancelling the future abandons the attempt;
 * a closing loop fails it with {@link RejectedExecutionException}, whether the attempt had begun or not.
 */
final class Connector implements Handler, LoopResource {
    private final EventLoop loop;
    private final Socket socket;
    private final SocketAddress address;
    private final Supplier<? extends Protocol> factory;
    private final CompletableFuture<Transport> result;
    private final boolean tcp;
    private TimerHandle timer;
    private boolean registered;
    private boolean done;

    private Connector(EventLoop loop, Socket socket, SocketAddress address, Supplier<? extends Protocol> factory,
            CompletableFuture<Transport> result) {
        this.loop = loop;
        this.socket = socket;
        this.address = address;
        this.factory = factory;
        this.result = result;
        this.tcp = address instanceof InetSocketAddress;
    }

    /** On the loop: starts connecting; every outcome goes through {@code result}. */
    static void start(EventLoop loop, SocketAddress address, Supplier<? extends Protocol> factory, Duration timeout,
            CompletableFuture<Transport> result) {
        Socket socket;
        try {
            socket = switch (address) {
                case InetSocketAddress inet when inet.isUnresolved() ->
                        throw new IllegalArgumentException("unresolved address: " + inet);
                case InetSocketAddress inet -> inet.getAddress() instanceof Inet6Address ? Socket.tcp6(true) : Socket.tcp4(true);
                case UnixDomainSocketAddress unix -> Socket.unix(true);
                default -> throw new IllegalArgumentException("cannot connect to " + address.getClass().getName());
            };
        } catch (IOException | RuntimeException e) {
            result.completeExceptionally(e);
            return;
        }
        new Connector(loop, socket, address, factory, result).begin(timeout);
    }

    private void begin(Duration timeout) {
        try {
            loop.track(this);
            if (socket.connect(address)) {
                established();
                return;
            }
            loop.readiness().register(socket, Events.WRITE, this);
            registered = true;
        } catch (IOException | RuntimeException e) {
            fail(e);
            return;
        }
        if (timeout != null) {
            timer = loop.scheduleAfter(timeout, () -> fail(new NativeIOException("connect", Errno.ETIMEDOUT,
                    "no connection to " + address + " within " + timeout)));
        }
        result.whenComplete((transport, error) -> {
            if (result.isCancelled()) {
                loop.execute(() -> fail(null));
            }
        });
    }

    @Override
    public void ready(int events) {
        try {
            socket.finishConnect();
        } catch (IOException e) {
            fail(e);
            return;
        }
        established();
    }

    @Override
    public void descriptorLost(int errno) {
        fail(new NativeIOException("connect", errno));
    }

    @Override
    public void closeNow() {
        fail(new RejectedExecutionException("the event loop closed before the connection to " + address
                + " was made"));
    }

    @Override
    public String toString() {
        return "connect to " + address;
    }

    private void established() {
        if (done) {
            return;
        }
        finish();
        if (result.isDone()) {
            close();
            return;
        }
        if (registered) {
            registered = false;
            loop.readiness().unregister(socket);
        }
        Transport transport;
        try {
            if (tcp) {
                socket.setTcpNoDelay(true);
            }
            transport = StreamConnection.start(loop, socket, address, factory.get(), null);
        } catch (IOException | RuntimeException e) {
            close();
            result.completeExceptionally(e);
            return;
        }
        if (!result.complete(transport)) {
            transport.abort();
        }
    }

    /** Ends the attempt: closes the socket and fails the future ({@code null}: it was cancelled). */
    private void fail(Throwable error) {
        if (done) {
            return;
        }
        finish();
        close();
        if (error != null) {
            result.completeExceptionally(error);
        }
    }

    private void finish() {
        done = true;
        loop.untrack(this);
        if (timer != null) {
            timer.cancel();
        }
    }

    private void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // the descriptor is released either way
        }
    }
}
