package io.selectors4j.bench;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * What the JDK's {@code SSLEngine} costs and allocates by itself for one echo over TLS 1.3
 * (AES-128-GCM), with no transport and no layer of ours: the client encrypts a message, the server
 * decrypts it, encrypts it back and the client decrypts it, every buffer made once. With
 * {@code -prof gc}, gc.alloc.rate.norm is the engines' own allocation per echo; half of it is one
 * side's (a decrypt and an encrypt), the share an echo server's engine takes, against which
 * {@link TlsLoopEchoBenchmark} shows what our layer adds.
 */
public class TlsEngineBenchmark extends BenchmarkSettings {
    @Param({"1024"})
    int size;

    private final TlsEngines engines = new TlsEngines();
    private SSLEngine client;
    private SSLEngine server;
    private ByteBuffer message;
    private ByteBuffer net;
    private ByteBuffer plain;
    private ByteBuffer back;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        client = TlsEngines.client();
        server = TlsEngines.server();
        TlsEngines.handshake(client, server);
        message = ByteBuffer.allocate(size);
        net = ByteBuffer.allocate(2 * size + 64 * 1024);
        plain = ByteBuffer.allocate(size + 64 * 1024);
        back = ByteBuffer.allocate(size + 64 * 1024);
    }

    /** One echo's four engine calls; returns the bytes that came back. */
    @Benchmark
    public int echoThroughTwoEngines() throws SSLException {
        message.clear();
        engines.wrap(client, message, net.clear());
        engines.unwrap(server, net.flip(), plain.clear());
        engines.wrap(server, plain.flip(), net.clear());
        engines.unwrap(client, net.flip(), back.clear());
        return back.position();
    }
}
