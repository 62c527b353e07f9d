package io.selectors4j.loop.tls;

import io.selectors4j.loop.Protocol;
import io.selectors4j.loop.TlsSettings;
import io.selectors4j.loop.TlsTransport;
import java.net.SocketAddress;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Where the loop puts TLS between a plain transport and the application's protocol: the protocol
 * given to the plain transport is a {@link TlsConnection}, which gives the application's protocol its
 * {@link TlsTransport}. Relies on the loop's public API and {@link LoopAccess} only, so it runs over
 * any loop backend.
 */
public final class TlsLayer {
    private TlsLayer() {
    }

    /**
     * The protocols of a TLS server's plain connections: each a {@link TlsConnection} that makes its
     * application protocol with {@code factory} once its handshake completes.
     *
     * @throws IllegalArgumentException client settings, or settings the context cannot meet (checked
     *                                  here on one engine, not at the first connection)
     */
    public static Supplier<Protocol> server(TlsSettings settings, Supplier<? extends Protocol> factory,
            LoopAccess access) {
        Objects.requireNonNull(settings, "tls");
        Objects.requireNonNull(factory, "factory");
        if (settings.isClient()) {
            throw new IllegalArgumentException("a server needs TlsSettings.server settings, not client ones");
        }
        Engines engines = new Engines(settings);
        return () -> new TlsConnection(engines, factory, access, null, null);
    }

    /**
     * The protocol of one client connection to {@code address}, which completes {@code connected} once
     * the handshake has completed and {@code factory}'s protocol is connected, or fails it with the
     * handshake's error. Cancelling {@code connected} abandons the connection.
     *
     * @throws IllegalArgumentException server settings, or settings the context cannot meet
     */
    public static Protocol client(TlsSettings settings, SocketAddress address, Supplier<? extends Protocol> factory,
            LoopAccess access, CompletableFuture<TlsTransport> connected) {
        Objects.requireNonNull(settings, "tls");
        Objects.requireNonNull(factory, "factory");
        if (!settings.isClient()) {
            throw new IllegalArgumentException("a client needs TlsSettings.client settings, not server ones");
        }
        Engines engines = new Engines(settings);
        return new TlsConnection(engines, factory, access, engines.client(address), connected);
    }
}
