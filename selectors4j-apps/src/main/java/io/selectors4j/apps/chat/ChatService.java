package io.selectors4j.apps.chat;

import io.selectors4j.loop.EventLoop;
import io.selectors4j.loop.Server;
import io.selectors4j.loop.ServerOptions;
import io.selectors4j.loop.TlsSettings;
import java.io.IOException;
import java.net.SocketAddress;
import java.util.function.Consumer;

/** The chat server as a service of an event loop, for {@code s4j chat-server} and {@code s4j serve}. */
public final class ChatService {
    private ChatService() {}

    /**
     * Starts a chat room listening on {@code address} (bound before this returns, so EADDRINUSE is
     * thrown here) whose connections run on {@code loop}. Joins, leaves, errors and dropped connections
     * are logged to {@code log}, one line each, from the loop thread. Closing the returned server stops
     * accepting; closing the loop ends the connections.
     */
    public static Server start(EventLoop loop, SocketAddress address, ChatOptions options, Consumer<String> log)
            throws IOException {
        return start(loop, address, options, log, null);
    }

    /** {@link #start(EventLoop, SocketAddress, ChatOptions, Consumer)} over TLS, or plain when {@code tls} is null. */
    public static Server start(EventLoop loop, SocketAddress address, ChatOptions options, Consumer<String> log,
            TlsSettings tls) throws IOException {
        ChatRoom room = new ChatRoom(log);
        byte[] scratch = new byte[64 * 1024];
        ServerOptions serverOptions = ServerOptions.defaults().withMaxConnections(options.maxConnections())
                .withIdleTimeout(options.idleTimeout());
        return tls == null
                ? loop.listen(address, () -> new ChatProtocol(room, scratch, options, log), serverOptions)
                : loop.listen(address, () -> new ChatProtocol(room, scratch, options, log), serverOptions, tls);
    }
}
