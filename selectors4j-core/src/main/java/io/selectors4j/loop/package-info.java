/**
 * The event loop: asyncio's loop, protocols and transports for Java, over a
 * {@link io.selectors4j.selectors.Selector} (epoll, poll or select) or over io_uring, where the kernel
 * performs the reads, sends and accepts and the loop learns of them done
 * ({@link io.selectors4j.loop.LoopBackend}).
 *
 * <p>An {@link io.selectors4j.loop.EventLoop} runs on one thread: callbacks
 * ({@code callSoon}), timers ({@code callLater}, {@code callAt}), readiness callbacks on any descriptor
 * ({@code addReader}, {@code addWriter}), stream servers ({@code listen}) and clients
 * ({@code connect}) driving {@link io.selectors4j.loop.Protocol}s through
 * {@link io.selectors4j.loop.Transport}s, and UDP endpoints ({@code openDatagram}). A
 * {@link io.selectors4j.loop.LoopGroup} runs several loops, one per core, and spreads a server's
 * connections over them.
 *
 * <p>Every protocol callback runs on its connection's loop thread. Transports, servers, timers and
 * {@code callSoon} may be used from any thread: the call is handed to the loop in order, with the data
 * copied at the call. A callback that throws is reported to the loop's
 * {@link io.selectors4j.loop.CallbackErrorHandler} and the loop goes on.
 *
 * <p>Lifecycle rules every backend keeps: a closing loop refuses new work with
 * {@link java.util.concurrent.RejectedExecutionException} and, when its {@code close()} returns, has
 * released everything started on it and completed every future it returned; a closed transport drops
 * writes, and a write after {@code writeEof} throws on its caller; a server's shutdown completes within
 * its grace whatever state its loops are in. The tables are on {@link io.selectors4j.loop.EventLoop},
 * {@link io.selectors4j.loop.Transport}, {@link io.selectors4j.loop.DatagramTransport} and
 * {@link io.selectors4j.loop.Server}.
 */
package io.selectors4j.loop;
