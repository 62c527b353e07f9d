package io.selectors4j.loop;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The servers a {@link LoopGroup} listens with on one address, seen as one {@link Server}. */
final class GroupServer implements Server {
    private final List<Server> servers;

    GroupServer(List<Server> servers) {
        this.servers = List.copyOf(servers);
    }

    @Override
    public SocketAddress address() {
        return servers.getFirst().address();
    }

    @Override
    public void close() {
        servers.forEach(Server::close);
    }

    @Override
    public CompletableFuture<Void> shutdown(Duration grace) {
        return CompletableFuture.allOf(servers.stream().map(s -> s.shutdown(grace)).toArray(CompletableFuture[]::new));
    }

    @Override
    public int connectionCount() {
        return servers.stream().mapToInt(Server::connectionCount).sum();
    }

    @Override
    public boolean isServing() {
        return servers.stream().anyMatch(Server::isServing);
    }

    @Override
    public String toString() {
        return "group server on " + address() + " (" + servers.size() + " listeners)";
    }
}
