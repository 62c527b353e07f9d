package io.selectors4j.apps.chat;

import io.selectors4j.loop.Protocol;
import io.selectors4j.loop.TimerHandle;
import io.selectors4j.loop.Transport;
import io.selectors4j.net.PythonText;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * One chat connection on the event loop: hands the bytes it receives to its {@link ChatRoom.Member}
 * and writes what the room sends, dropping the connection (reset) once more than the bound is waiting
 * to be sent. A timer of the loop, set when the connection is made and cancelled when it joins, closes
 * it if it has not said hello in time: one timer per connection, nothing per message.
 */
final class ChatProtocol implements Protocol, ChatSession {
    private final ChatRoom room;
    private final byte[] scratch;
    private final long maxQueueBytes;
    private final Duration helloTimeout;
    private final Consumer<String> log;
    private Transport transport;
    private ChatRoom.Member member;
    private String peer;
    private TimerHandle helloDeadline;

    /**
     * A connection to {@code room}; {@code scratch} is a buffer shared by the connections of one loop
     * to copy received bytes into.
     */
    ChatProtocol(ChatRoom room, byte[] scratch, ChatOptions options, Consumer<String> log) {
        this.room = room;
        this.scratch = scratch;
        this.maxQueueBytes = options.maxQueueBytes();
        this.helloTimeout = options.helloTimeout();
        this.log = log;
    }

    @Override
    public void connectionMade(Transport transport) {
        this.transport = transport;
        this.peer = PythonText.address(transport.peerAddress());
        this.member = room.connect(this);
        if (helloTimeout.isPositive()) {
            helloDeadline = transport.loop().callLater(helloTimeout, () -> member.helloTimedOut(helloTimeout));
        }
    }

    @Override
    public void joined() {
        cancelHelloDeadline();
    }

    private void cancelHelloDeadline() {
        if (helloDeadline != null) {
            helloDeadline.cancel();
            helloDeadline = null;
        }
    }

    @Override
    public void dataReceived(ByteBuffer data) {
        while (data.hasRemaining() && !transport.isClosing()) {
            int n = Math.min(data.remaining(), scratch.length);
            data.get(scratch, 0, n);
            member.received(scratch, 0, n);
        }
    }

    @Override
    public void connectionLost(Throwable cause) {
        cancelHelloDeadline();
        member.disconnected();
    }

    @Override
    public void send(byte[] frame) {
        if (transport.isClosing()) {
            return;
        }
        transport.write(frame);
        if (transport.writeBufferSize() > maxQueueBytes) {
            log.accept(peer + member.nick().map(nick -> " " + nick).orElse("")
                    + " dropped: over " + maxQueueBytes + " bytes waiting to be sent");
            transport.abort();
            member.disconnected();
        }
    }

    @Override
    public void close() {
        transport.close();
    }

    @Override
    public String peer() {
        return peer;
    }
}
