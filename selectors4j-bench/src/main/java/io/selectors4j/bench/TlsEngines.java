package io.selectors4j.bench;

import io.selectors4j.bench.peers.TlsMaterial;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/**
 * The TLS benchmarks' engines: a server context with the peers' certificate, a client context that
 * trusts anything (the certificate is throw-away), TLS 1.3 with TLS_AES_128_GCM_SHA256, and the plain
 * {@code SSLEngine} moves a benchmark makes without our layer, through one-element arrays made once so
 * that no array is made per call.
 */
final class TlsEngines {
    static final String SUITE = "TLS_AES_128_GCM_SHA256";
    /** One context for every server engine and server, as a server has. */
    static final SSLContext SERVER_CONTEXT = TlsMaterial.selfSigned().serverContext();

    private final ByteBuffer[] one = new ByteBuffer[1];

    /** A client engine for the benchmarks, on a context of its own (no session to resume). */
    static SSLEngine client() {
        SSLEngine engine = TlsMaterial.trustingAll().createSSLEngine();
        engine.setUseClientMode(true);
        engine.setEnabledProtocols(new String[] {"TLSv1.3"});
        engine.setEnabledCipherSuites(new String[] {SUITE});
        return engine;
    }

    /** A server engine for the benchmarks. */
    static SSLEngine server() {
        SSLEngine engine = SERVER_CONTEXT.createSSLEngine();
        engine.setUseClientMode(false);
        return engine;
    }

    /** Encrypts all of {@code plain} into {@code net} (write mode), one record per call. */
    void wrap(SSLEngine engine, ByteBuffer plain, ByteBuffer net) throws SSLException {
        one[0] = plain;
        while (plain.hasRemaining()) {
            check(engine.wrap(one, net));
        }
    }

    /** Decrypts every whole record of {@code net} (read mode) into {@code plain} (write mode). */
    void unwrap(SSLEngine engine, ByteBuffer net, ByteBuffer plain) throws SSLException {
        one[0] = plain;
        while (net.hasRemaining()) {
            SSLEngineResult result = engine.unwrap(net, one);
            if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                return;
            }
            check(result);
        }
    }

    private static void check(SSLEngineResult result) throws SSLException {
        if (result.getStatus() != SSLEngineResult.Status.OK) {
            throw new SSLException("unexpected " + result);
        }
    }

    /** Runs the handshake of two engines in memory, with their delegated tasks on this thread. */
    static void handshake(SSLEngine client, SSLEngine server) throws SSLException {
        ByteBuffer toServer = ByteBuffer.allocate(1 << 16);
        ByteBuffer toClient = ByteBuffer.allocate(1 << 16);
        ByteBuffer scratch = ByteBuffer.allocate(1 << 16);
        ByteBuffer empty = ByteBuffer.allocate(0);
        client.beginHandshake();
        server.beginHandshake();
        for (int turn = 0; turn < 100 && (busy(client) || busy(server)); turn++) {
            step(client, empty, toServer, toClient, scratch);
            step(server, empty, toClient, toServer, scratch);
        }
        if (busy(client) || busy(server)) {
            throw new SSLException("the in-memory handshake did not complete");
        }
        drain(client, toClient, scratch); // the server's post-handshake messages (a session ticket)
        drain(server, toServer, scratch);
    }

    private static void drain(SSLEngine engine, ByteBuffer in, ByteBuffer scratch) throws SSLException {
        in.flip();
        while (in.hasRemaining()) {
            if (engine.unwrap(in, scratch.clear()).getStatus() != SSLEngineResult.Status.OK) {
                throw new SSLException("a record left after the handshake could not be read");
            }
        }
        in.clear();
    }

    /** Runs the engine's delegated tasks (the handshake's key exchange and signatures) on this thread. */
    static void runDelegatedTasks(SSLEngine engine) {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    private static boolean busy(SSLEngine engine) {
        SSLEngineResult.HandshakeStatus status = engine.getHandshakeStatus();
        return status != SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING
                && status != SSLEngineResult.HandshakeStatus.FINISHED;
    }

    private static void step(SSLEngine engine, ByteBuffer empty, ByteBuffer out, ByteBuffer in, ByteBuffer scratch)
            throws SSLException {
        while (true) {
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK -> runDelegatedTasks(engine);
                case NEED_WRAP -> engine.wrap(empty, out);
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    in.flip();
                    SSLEngineResult result = engine.unwrap(in, scratch.clear());
                    in.compact();
                    if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW
                            || result.bytesConsumed() == 0 && result.bytesProduced() == 0) {
                        return;
                    }
                }
                default -> {
                    return;
                }
            }
        }
    }
}
