package io.selectors4j.apps.echo;

import io.selectors4j.apps.common.EventLog;
import io.selectors4j.apps.common.IdleList;
import io.selectors4j.net.PythonText;
import io.selectors4j.net.Socket;
import io.selectors4j.selectors.Events;
import java.io.IOException;

/**
 * One client of the echo server and its output queue: the bytes received and not yet sent back.
 *
 * <p>The queue is bounded: when it is full the connection stops reading, so a client that sends
 * without reading holds at most the queue's size of the server's memory. When the client
 * half-closes, what is queued is still sent before the connection closes.
 */
final class EchoConnection extends IdleList.Entry {
    private final Socket socket;
    private final String peer;
    private final int queueBytes;
    /** Taken at the first read, so a connection that never sends costs no queue. */
    private byte[] queue;
    private int head;
    private int tail;
    private boolean peerDone;
    private boolean bulk;
    private int turnEvents;

    /** A connection whose queue holds at most {@code queueBytes}. */
    EchoConnection(Socket socket, String peer, int queueBytes) {
        this.socket = socket;
        this.peer = peer;
        this.queueBytes = queueBytes;
    }

    Socket socket() {
        return socket;
    }

    /** The peer in Python's form, {@code ('127.0.0.1', 61003)}. */
    String peer() {
        return peer;
    }

    /**
     * Reads what the client sent into the queue; end of stream marks the client done sending. Returns
     * the bytes read; a read that filled all the room there was marks the client a bulk sender.
     */
    int receive(EventLog log) throws IOException {
        if (queue == null) {
            queue = new byte[queueBytes];
        }
        if (tail == queueBytes) {
            System.arraycopy(queue, head, queue, 0, tail - head);
            tail -= head;
            head = 0;
        }
        int room = queueBytes - tail;
        int n = socket.recv(queue, tail, room);
        if (n == Socket.WOULD_BLOCK) {
            return 0;
        }
        if (n == 0) {
            peerDone = true;
            return 0;
        }
        if (log.eventsShown()) {
            log.event("  received " + PythonText.bytes(queue, tail, n) + " from " + peer);
        }
        tail += n;
        bulk = n == room;
        return n;
    }

    /** Sends what the socket takes from the head of the queue; returns the bytes sent. */
    int send(EventLog log) throws IOException {
        int n = socket.send(queue, head, tail - head);
        if (n == Socket.WOULD_BLOCK) {
            return 0;
        }
        if (log.eventsShown()) {
            log.event("  sending " + PythonText.bytes(queue, head, n) + " to " + peer);
        }
        head += n;
        if (head == tail) {
            head = 0;
            tail = 0;
            if (log.eventsShown()) {
                log.event("  " + peer + " queue empty");
            }
        }
        return n;
    }

    /** Whether the last read filled the queue's room: more waits, so this client takes turns. */
    boolean isBulk() {
        return bulk;
    }

    /**
     * Keeps {@code events} for this bulk sender's turn; returns whether it must join the turns (it was
     * not waiting for one already).
     */
    boolean awaitTurn(int events) {
        boolean joins = turnEvents == 0;
        turnEvents |= events;
        return joins;
    }

    /** The events kept for the turn that has come. */
    int takeTurnEvents() {
        int events = turnEvents;
        turnEvents = 0;
        return events;
    }

    /** Whether bytes wait to be sent. */
    boolean hasQueued() {
        return tail > head;
    }

    /** The events to wait for: READ while the client may send and there is room, WRITE while bytes are queued. */
    int interest() {
        int events = 0;
        if (!peerDone && (tail < queueBytes || head > 0)) {
            events |= Events.READ;
        }
        if (hasQueued()) {
            events |= Events.WRITE;
        }
        return events;
    }

    /** Whether the client is done sending and everything has been echoed: time to close. */
    boolean finished() {
        return peerDone && !hasQueued();
    }
}
