package io.selectors4j.bench;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Connected pairs of java.nio Unix-domain {@link SocketChannel}s: the peer of selectors4j's
 * {@code Socket.pair()} (a Unix stream socketpair) for side-by-side benchmarks.
 */
final class NioPairs implements AutoCloseable {
    final List<SocketChannel[]> pairs = new ArrayList<>();
    private final Path directory;

    NioPairs(int count) throws IOException {
        OpenFiles.ensure(2 * count);
        directory = Files.createTempDirectory("s4j-bench");
        Path path = directory.resolve("listener.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(path));
            for (int i = 0; i < count; i++) {
                SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(path));
                pairs.add(new SocketChannel[] {client, server.accept()});
            }
        } finally {
            Files.deleteIfExists(path);
        }
    }

    /** Every channel, both ends of each pair in turn. */
    List<SocketChannel> channels() {
        List<SocketChannel> channels = new ArrayList<>();
        for (SocketChannel[] pair : pairs) {
            channels.add(pair[0]);
            channels.add(pair[1]);
        }
        return channels;
    }

    /**
     * Makes {@code ready} channels readable, spread evenly as {@link ReadyFixture} does: one byte is
     * written to each from its peer and never read.
     */
    void makeReadable(int ready) throws IOException {
        Spread.check(2 * pairs.size(), ready);
        for (int index : Spread.indices(2 * pairs.size(), ready)) {
            SocketChannel[] pair = pairs.get(index / 2);
            pair[1 - index % 2].write(ByteBuffer.wrap(new byte[] {1}));
        }
    }

    @Override
    public void close() throws IOException {
        for (SocketChannel[] pair : pairs) {
            pair[0].close();
            pair[1].close();
        }
        Files.deleteIfExists(directory);
    }
}
