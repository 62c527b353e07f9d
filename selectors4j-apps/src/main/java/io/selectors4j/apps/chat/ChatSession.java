package io.selectors4j.apps.chat;

/**
 * One connection as the {@link ChatRoom} sees it: somewhere to send frames and something to close.
 * The server implements it over a loop transport; tests implement it with a list.
 */
public interface ChatSession {

    /**
     * Queues {@code frame} (header included) for this connection. The same array may go to many
     * sessions, so it must not be changed.
     */
    void send(byte[] frame);

    /** Closes the connection once what is queued has been sent. */
    void close();

    /** How the logs name the peer, such as {@code ('127.0.0.1', 61457)}. */
    String peer();

    /** The room has let this connection join: a deadline for its hello can go. */
    default void joined() {
    }
}
