package io.selectors4j.loop;

/**
 * What an {@link EventLoop} keeps as a selector key's data: the object that handles its descriptor's
 * readiness itself, so a ready key costs one interface call and no lookup or allocation.
 */
interface Handler {
    /** The descriptor is ready for the given {@link io.selectors4j.selectors.Events} bits. */
    void ready(int events);

    /** The selector found the descriptor closed behind the loop's back and removed its key. */
    void descriptorLost(int errno);
}
