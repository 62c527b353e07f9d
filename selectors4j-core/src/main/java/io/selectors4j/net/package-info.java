/** Python's socket essentials: sockets, pipes and raw descriptors as {@link io.selectors4j.Selectable}s. */
package io.selectors4j.net;
