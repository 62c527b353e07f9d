package io.selectors4j.apps.chat;

import io.selectors4j.apps.chat.PacketDecoder.Direction;
import io.selectors4j.apps.tls.Link;
import io.selectors4j.loop.TlsSettings;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * The client's connection to a chat server, on a blocking selectors4j socket: one thread
 * {@linkplain #receive receives} packets while others {@linkplain #send send}.
 */
final class ServerLink implements AutoCloseable {
    private final Link socket;
    private final PacketEncoder encoder = new PacketEncoder();

    private ServerLink(Link socket) {
        this.socket = socket;
    }

    /**
     * Connects to the chat server at {@code host} and {@code port}, over TLS when {@code tls} is not
     * {@code null}, or fails in one line: {@code cannot connect to 127.0.0.1 port 3490: Connection refused}.
     */
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
     * (or {@link #close} is called). A well-formed packet of a type this client does not know (from a
     * newer server) is skipped, its type handed to {@code unknownType}; any other packet the client
     * cannot read ends it with an exception.
     */
    void receive(Consumer<Packet> handler, Consumer<String> unknownType) throws IOException, ChatProtocolException {
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
                    if (e.unknownType() != null) {
                        unknownType.accept(e.unknownType());
                        return true;
                    }
                    failure[0] = e;
                    return false;
                }
            });
            if (failure[0] != null) {
                throw failure[0];
            }
        }
    }

    /**
     * Tells the server this client is done sending (a half-close): the server answers what it has
     * received, then closes, which ends {@link #receive}.
     */
    synchronized void finishSending() {
        socket.finishSending();
    }

    /** Closes the connection; a thread in {@link #receive} returns. */
    @Override
    public void close() {
        socket.close();
    }
}
