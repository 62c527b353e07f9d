/** Python's {@code selectors} module: a selector with keys that carry data, over select, poll or epoll. */
package io.selectors4j.selectors;
