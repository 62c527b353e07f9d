package io.selectors4j.bench.compare;

import io.selectors4j.bench.peers.TlsMaterial;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * Memory per idle connection: a server's heap after a full GC and its RSS, before and after it has
 * accepted {@code connections} connections that then send nothing; the growth divided by the count.
 * A TLS server's idle connections have completed their handshake (JDK client sockets, TLS 1.3,
 * TLS_AES_128_GCM_SHA256), and are fewer: each handshake costs the server milliseconds.
 */
final class IdleMemory {
    /** Idle connections held for a TLS server. */
    static final int TLS_CONNECTIONS = 2_000;
    private static final long ACCEPT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);

    /**
     * Growth per connection in bytes; heap is NaN for a server that is not a JVM.
     *
     * @param connections idle connections held
     * @param heapBytes   live heap growth per connection (after {@code GC.run})
     * @param rssBytes    resident set growth per connection
     */
    record Growth(int connections, double heapBytes, double rssBytes) {
    }

    private final HeapInfo heap;

    IdleMemory(HeapInfo heap) {
        this.heap = heap;
    }

    Growth measure(ServerProcess server, int port, int connections) throws IOException, InterruptedException {
        long pid = server.pid();
        boolean java = server.spec().java();
        long heapBefore = java ? heap.usedAfterGc(pid) : 0;
        long rssBefore = ProcFacts.rssBytes(pid);
        int filesBefore = ProcFacts.openFiles(pid);
        List<Closeable> idle = new ArrayList<>(connections);
        try {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            SSLContext tls = server.spec().tls() ? TlsMaterial.trustingAll() : null;
            for (int i = 0; i < connections; i++) {
                idle.add(tls == null ? SocketChannel.open(address) : handshaken(tls, address));
            }
            long deadline = System.nanoTime() + ACCEPT_TIMEOUT_NANOS;
            while (ProcFacts.openFiles(pid) < filesBefore + connections) {
                if (System.nanoTime() > deadline) {
                    throw new IOException(server.spec().name() + " did not accept " + connections
                            + " connections within 60 s");
                }
                Thread.sleep(100); // the server accepts at its own pace; /proc is polled, not waited on
            }
            long heapAfter = java ? heap.usedAfterGc(pid) : 0;
            long rssAfter = ProcFacts.rssBytes(pid);
            return new Growth(connections, java ? (heapAfter - heapBefore) / (double) connections : Double.NaN,
                    (rssAfter - rssBefore) / (double) connections);
        } finally {
            for (Closeable connection : idle) {
                connection.close();
            }
        }
    }

    /** A TLS connection whose handshake has completed, then left alone. */
    private static SSLSocket handshaken(SSLContext tls, InetSocketAddress address) throws IOException {
        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(address.getAddress(), address.getPort());
        socket.setEnabledProtocols(new String[] {"TLSv1.3"});
        socket.setEnabledCipherSuites(new String[] {Workload.TLS_SUITE});
        socket.startHandshake();
        return socket;
    }
}
