package io.selectors4j.apps.bench;

import io.selectors4j.net.Socket;

/**
 * One connection's place in its echo stream: how many bytes were sent and received, how many messages
 * were started and completed, and when each message in flight started. Only its worker's thread
 * touches it.
 */
final class Connection {
    final Socket socket;
    /** Its number within its worker: its turn in the fixed-rate schedule. */
    final int slot;
    /** Its phase in the {@link Payload} sequence. */
    final int phase;
    /** Start time of message {@code m} at {@code m % pipeline}, for the closed loop. */
    final long[] startNanos;

    boolean connected;
    boolean writing;
    long sentBytes;
    long receivedBytes;
    /** Messages whose bytes may be sent: the limit of {@link #sentBytes} is {@code started * size}. */
    long started;
    long completed;
    /** Fixed rate only: messages whose intended send time has come (at least {@link #started}). */
    long due;

    Connection(Socket socket, int slot, int phase, int pipeline) {
        this.socket = socket;
        this.slot = slot;
        this.phase = phase;
        this.startNanos = new long[pipeline];
    }

    /** Messages sent or queued and not yet fully echoed. */
    long inFlight() {
        return started - completed;
    }
}
