package io.selectors4j.loop;

/**
 * The {@link Transport} of a TLS connection, as its {@link Protocol} gets it in {@code connectionMade}
 * (cast the transport, or test it with {@code instanceof}). Everything {@link Transport} says holds,
 * over the plaintext, with these differences:
 *
 * <ul>
 * <li>the write buffer's size and marks count the encrypted bytes waiting to be sent;
 * <li>{@link #writeEof()} sends TLS's close_notify and then shuts down the sending side;
 * {@link #close()} sends close_notify, flushes, and waits for the peer's close_notify (at most the
 * {@linkplain TlsSettings#shutdownTimeout() shutdown timeout}, then it resets the connection);
 * {@link #abort()} resets at once, sending nothing;
 * <li>a close_notify from the peer is end of stream ({@link Protocol#eofReceived()}), and so is the
 * connection's end without one, as Python's {@code suppress_ragged_eofs} has it: a protocol that needs
 * to tell a truncated stream from a finished one frames its data;
 * <li>a record that fails to decrypt or breaks the protocol ends the connection with an alert to the
 * peer, and {@link Protocol#connectionLost} receives the {@link javax.net.ssl.SSLException}.
 * </ul>
 */
public interface TlsTransport extends Transport {
    /** What the handshake agreed: version, cipher suite, ALPN protocol and the peer's certificates. */
    TlsSession tlsSession();
}
