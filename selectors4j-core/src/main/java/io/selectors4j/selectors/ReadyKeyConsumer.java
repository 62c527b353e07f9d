package io.selectors4j.selectors;

import java.io.IOException;

/**
 * Receives each ready key from {@link Selector#select(java.time.Duration, ReadyKeyConsumer)} without
 * any object being created per event. An exception ends that {@code select} call and propagates; the
 * keys not yet handed over are reported again by the next call (the selectors are level-triggered).
 */
@FunctionalInterface
public interface ReadyKeyConsumer {
    /** Handles one ready key with its ready {@link Events} bits. */
    void accept(SelectorKey key, int events) throws IOException;
}
