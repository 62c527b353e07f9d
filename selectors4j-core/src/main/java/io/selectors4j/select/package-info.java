/** Python's {@code select} module: {@code select()}, {@code poll} and {@code epoll} on any file descriptor. */
package io.selectors4j.select;
