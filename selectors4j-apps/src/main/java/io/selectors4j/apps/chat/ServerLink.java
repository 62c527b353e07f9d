package io.selectors4j.apps.chat;

import io.selectors4j.apps.chat.PacketDecoder.Direction;
import io.selectors4j.apps.tls.Link;
import io.selectors4j.loop.TlsSettings;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * The client's connection to a chat server, on a blocking selectors4j socket or a TLS connection: one
 * thread {@linkplain #receive receives} packets while others {@linkplain #send send}.
 */
final class ServerLink implements AutoCloseable {
    private final Link socket;
    private final PacketEncoder encoder = new PacketEncoder();

    private ServerLink(Link socket) {
        this.socket = socket;
    }

    /** Connects to the chat server at {@code host} and {@code port}, over TLS when {@code tls} is not null. */
    static ServerLink connect(String host, int port, TlsSettings tls) throws IOException {
        return new ServerLink(Link.connect(host, port, tls));
    }

    /** Sends {@code packet}; refuses one too large for a frame with {@link FrameTooLargeException}. */
    synchronized void send(Packet packet) throws IOException {
        byte[] frame = encoder.encode(packet);
        socket.sendAll(frame);
    }

    /**
     * Hands every packet from the server to {@code handler} until the server closes the connection
     * (or {@link #close} is called); a packet the client cannot read ends it with an exception.
     */
    void receive(Consumer<Packet> handler) throws IOException, ChatProtocolException {
        PacketDecoder decoder = new PacketDecoder(Direction.FROM_SERVER);
        FrameDecoder frames = new FrameDecoder();
        ChatProtocolException[] failure = new ChatProtocolException[1];
        byte[] buffer = new byte[16 * 1024];
        for (int n = socket.recv(buffer, 0, buffer.length, true); n > 0;
                n = socket.recv(buffer, 0, buffer.length, true)) {
            frames.feed(buffer, 0, n, (data, off, len) -> {
                try {
                    handler.accept(decoder.decode(data, off, len));
                    return true;
                } catch (ChatProtocolException e) {
                    failure[0] = e;
                    return false;
                }
            });
            if (failure[0] != null) {
                throw failure[0];
            }
        }
    }

    /** Closes the connection; a thread in {@link #receive} returns. */
    @Override
    public void close() {
        socket.close();
    }
}
