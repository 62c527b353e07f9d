package io.selectors4j.loop.tls;

/**
 * A protocol that is a layer between a plain transport and the application's protocol, and that has
 * its own way to end a connection (TLS sends close_notify first): a server's shutdown asks it, rather
 * than closing the plain transport beneath it.
 */
public interface ClosingLayer {
    /** Ends the connection as the layer's own close does; any thread. */
    void closeThroughLayer();
}
