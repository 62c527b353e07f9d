/**
 * The io_uring completion backend of the event loop (not exported): {@link io.selectors4j.loop.uring.UringEngine}
 * owns one loop's ring, waits in it and hands each completion to its owner by token. The loop's API and
 * the rules both backends share stay in {@code io.selectors4j.loop}; the ring and its system calls in
 * {@code io.selectors4j.sys}.
 */
package io.selectors4j.loop.uring;
