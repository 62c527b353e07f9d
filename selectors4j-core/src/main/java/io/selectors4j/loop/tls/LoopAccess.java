package io.selectors4j.loop.tls;

import io.selectors4j.loop.EventLoop;

/**
 * The two things the TLS layer needs of a loop beyond its public API, given by the loop package
 * (whatever backend the loop runs on): its TLS buffers and its callback-failure reporting.
 */
public interface LoopAccess {
    /** The TLS buffers of {@code loop}, made on first use; loop thread only. */
    TlsBuffers tlsBuffers(EventLoop loop);

    /** Reports a protocol callback that threw, as the loop reports its own. */
    void callbackFailed(EventLoop loop, String origin, Throwable error);
}
