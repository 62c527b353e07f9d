package io.selectors4j.loop;

import io.selectors4j.loop.tls.LoopAccess;
import io.selectors4j.loop.tls.TlsBuffers;

/** What the TLS layer ({@code io.selectors4j.loop.tls}) is given of a loop beyond its public API. */
final class TlsAccess implements LoopAccess {
    static final TlsAccess INSTANCE = new TlsAccess();

    private TlsAccess() {
    }

    @Override
    public TlsBuffers tlsBuffers(EventLoop loop) {
        return loop.buffers().tls();
    }

    @Override
    public void callbackFailed(EventLoop loop, String origin, Throwable error) {
        loop.callbackFailed(origin, error);
    }
}
