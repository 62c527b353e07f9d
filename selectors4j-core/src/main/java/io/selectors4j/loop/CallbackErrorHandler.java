package io.selectors4j.loop;

/**
 * Told when a callback run by an {@link EventLoop} throws, asyncio's exception handler. The loop goes
 * on serving whatever the handler does; by default the failure is logged through
 * {@link System.Logger} at ERROR.
 */
@FunctionalInterface
public interface CallbackErrorHandler {
    /**
     * A callback failed.
     *
     * @param origin which callback it was and whose: for example {@code "dataReceived of
     *               connection ('127.0.0.1', 4242)"} or {@code "timer"}
     * @param error  what it threw
     */
    void callbackFailed(String origin, Throwable error);
}
