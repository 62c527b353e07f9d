package io.selectors4j.apps.chat;

import io.selectors4j.loop.Protocol;
import io.selectors4j.loop.Transport;
import io.selectors4j.net.PythonText;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * One chat connection on the event loop: hands the bytes it receives to its {@link ChatRoom.Member}
 * and writes what the room sends, dropping the connection (reset) once more than the bound is waiting
 * to be sent.
 */
final class ChatProtocol implements Protocol, ChatSession {
    private final ChatRoom room;
    private final byte[] scratch;
    private final long maxQueueBytes;
    private final Consumer<String> log;
    private Transport transport;
    private ChatRoom.Member member;
    private String peer;

    /**
     * A connection to {@code room}; {@code scratch} is a buffer shared by the connections of one loop
     * to copy received bytes into.
     */
    ChatProtocol(ChatRoom room, byte[] scratch, long maxQueueBytes, Consumer<String> log) {
        this.room = room;
        this.scratch = scratch;
        this.maxQueueBytes = maxQueueBytes;
        this.log = log;
    }

    @Override
    public void connectionMade(Transport transport) {
        this.transport = transport;
        this.peer = PythonText.address(transport.peerAddress());
        this.member = room.connect(this);
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
