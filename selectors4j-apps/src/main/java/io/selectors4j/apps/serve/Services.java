package io.selectors4j.apps.serve;

import io.selectors4j.NativeIOException;
import io.selectors4j.apps.chat.ChatOptions;
import io.selectors4j.apps.chat.ChatService;
import io.selectors4j.apps.common.Addresses;
import io.selectors4j.apps.common.EventLog;
import io.selectors4j.apps.echo.EchoProtocol;
import io.selectors4j.apps.tls.TlsServerOptions;
import io.selectors4j.apps.time.TimeDatagramProtocol;
import io.selectors4j.apps.time.TimeStreamProtocol;
import io.selectors4j.loop.DatagramTransport;
import io.selectors4j.loop.LoopGroup;
import io.selectors4j.loop.Protocol;
import io.selectors4j.loop.Server;
import io.selectors4j.loop.ServerOptions;
import io.selectors4j.loop.TlsSettings;
import io.selectors4j.net.Socket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The services of {@code s4j serve} on a {@link LoopGroup}, and the one place where each is started:
 * echo and time's TCP side listen on every loop (one {@code SO_REUSEPORT} listener each); time's UDP
 * side and chat, which keep state of their own, run on the first loop. Every log line starts with the
 * service's name. Each TCP service has its own connection limit, shared by its listeners on every loop.
 * With TLS settings, echo and chat speak TLS; time stays plain (RFC 868 has no TLS).
 */
final class Services {
    private final LoopGroup group;
    private final EventLog log;
    private final String host;
    private final ServeLimits limits;
    /** For echo and chat; {@code null} for plain TCP. */
    private final TlsSettings tls;
    private final Clock clock = Clock.systemUTC();
    private final List<DatagramTransport> endpoints = new ArrayList<>();
    private final List<Server> servers = new ArrayList<>();

    Services(LoopGroup group, EventLog log, String host, ServeLimits limits, TlsSettings tls) {
        this.group = group;
        this.log = log;
        this.host = host;
        this.limits = limits;
        this.tls = tls;
    }

    /** The echo service on {@code port}. */
    void startEcho(int port) throws IOException {
        listen("echo", port, () -> new EchoProtocol(log, "echo: ", limits.echoHighWater(), limits.echoLowWater()),
                limits.echoIdleTimeout(), TlsServerOptions.forService(tls, log, "echo: "));
        log.line("echo: listening on " + host + " port " + port + (tls == null ? "" : " (TLS)"));
    }

    /** The RFC 868 time service on {@code port}, TCP and UDP. */
    void startTime(int port) throws IOException {
        // A time connection is answered and closed as it comes: it never idles. RFC 868 has no TLS.
        InetSocketAddress address = listen("time", port, () -> new TimeStreamProtocol(log, "time: ", clock), Duration.ZERO,
                null);
        try {
            endpoints.add(group.loops().getFirst().openDatagram(address,
                    () -> new TimeDatagramProtocol(log, "time: ", clock)));
        } catch (NativeIOException e) {
            throw Addresses.failure("time: cannot listen on", host, port + " (UDP)", e);
        }
        log.line("time: listening on " + host + " port " + port + " (TCP and UDP)");
    }

    /** The chat service on {@code port}, on the first loop (one room, one thread). */
    void startChat(int port) throws IOException {
        InetSocketAddress address = Addresses.resolve(host, port);
        try {
            servers.add(ChatService.start(group.loops().getFirst(), address, new ChatOptions(limits.chatMaxQueue(), limits.maxConnections(), limits.chatHelloTimeout(), limits.chatIdleTimeout()),
                    line -> log.event("chat: " + line), TlsServerOptions.forService(tls, log, "chat: ")));
        } catch (NativeIOException e) {
            throw Addresses.failure("chat: cannot listen on", host, port, e);
        }
        log.line("chat: listening on " + host + " port " + port + (tls == null ? "" : " (TLS)"));
    }

    /**
     * Stops accepting, closes the UDP endpoints, lets every connection flush and close (aborting those
     * still open after {@code grace}) and stops the loops.
     */
    CompletableFuture<Void> shutdown(Duration grace) {
        for (DatagramTransport endpoint : endpoints) {
            endpoint.close();
        }
        // servers started on one loop rather than through the group are shut down here
        CompletableFuture<?>[] own = servers.stream().map(server -> server.shutdown(grace))
                .toArray(CompletableFuture<?>[]::new);
        return CompletableFuture.allOf(own).thenCompose(done -> group.shutdown(grace));
    }

    private InetSocketAddress listen(String service, int port, Supplier<? extends Protocol> factory, Duration idleTimeout,
            TlsSettings serviceTls) throws IOException {
        InetSocketAddress address = Addresses.resolve(host, port);
        try {
            // The group's listeners share the port through SO_REUSEPORT, so a second serve would join
            // them silently; a listener without it fails while anyone at all listens there.
            Socket.listenTcp(address, 1).close();
            ServerOptions options = ServerOptions.defaults().withMaxConnections(limits.maxConnections())
                    .withIdleTimeout(idleTimeout);
            Server server = serviceTls == null ? group.listen(address, factory, options)
                    : group.listen(address, factory, options, serviceTls);
            return (InetSocketAddress) server.address();
        } catch (NativeIOException e) {
            throw Addresses.failure(service + ": cannot listen on", host, port, e);
        }
    }
}
