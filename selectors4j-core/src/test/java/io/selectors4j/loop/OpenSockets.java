package io.selectors4j.loop;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeMap;
import java.util.stream.Stream;

/** The process's sockets and anonymous inodes (epoll, eventfd), read from /proc/self/fd. */
final class OpenSockets {
    private OpenSockets() {
    }

    /**
     * Descriptor number to link target, for sockets and anonymous inodes only. The JDK's socket classes
     * are used once first: their first use opens a socket the JDK keeps for good (its pre-close socket).
     */
    static TreeMap<Integer, String> list() throws IOException {
        useJdkSockets();
        TreeMap<Integer, String> open = new TreeMap<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc/self/fd"))) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                try {
                    String target = Files.readSymbolicLink(entry).toString();
                    if (target.startsWith("socket:") || target.startsWith("anon_inode:")) {
                        open.put(Integer.parseInt(entry.getFileName().toString()), target);
                    }
                } catch (IOException closedMeanwhile) {
                    // the listing's own descriptor, or one closed while we looked
                }
            }
        }
        return open;
    }

    private static void useJdkSockets() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                Socket accepted = server.accept()) {
            client.shutdownOutput();
            accepted.getInputStream().read();
        }
    }
}
