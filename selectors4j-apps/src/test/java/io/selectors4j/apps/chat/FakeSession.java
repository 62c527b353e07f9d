package io.selectors4j.apps.chat;

import io.selectors4j.apps.chat.PacketDecoder.Direction;
import java.util.ArrayList;
import java.util.List;

/** A session that records what the room sends it, decoded, and whether the room closed it. */
final class FakeSession implements ChatSession {
    private final String peer;
    private final FrameDecoder frames = new FrameDecoder();
    private final PacketDecoder decoder = new PacketDecoder(Direction.FROM_SERVER);
    final List<Packet> received = new ArrayList<>();
    boolean closed;
    Runnable onSend = () -> { };

    FakeSession(String peer) {
        this.peer = peer;
    }

    @Override
    public void send(byte[] frame) {
        frames.feed(frame, 0, frame.length, (data, off, len) -> {
            try {
                received.add(decoder.decode(data, off, len));
            } catch (ChatProtocolException e) {
                throw new AssertionError("the room sent a bad packet", e);
            }
            return true;
        });
        onSend.run();
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String peer() {
        return peer;
    }

    /** The packets received since the last call. */
    List<Packet> take() {
        List<Packet> taken = List.copyOf(received);
        received.clear();
        return taken;
    }
}
