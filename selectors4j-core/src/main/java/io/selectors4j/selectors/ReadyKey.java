package io.selectors4j.selectors;

/**
 * One entry of {@link Selector#select(java.time.Duration)}: Python's {@code (key, events)} pair.
 *
 * @param key    the ready registration
 * @param events the ready {@link Events} bits, masked by the key's events
 */
public record ReadyKey(SelectorKey key, int events) {
}
