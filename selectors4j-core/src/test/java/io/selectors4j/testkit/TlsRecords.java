package io.selectors4j.testkit;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;

/** TLS records made by the JDK's own engine, for tests that play a peer which stops half-way. */
public final class TlsRecords {
    private TlsRecords() {
    }

    /**
     * A real ClientHello, as a client of {@code context} writes it to {@code host} and {@code port}
     * (the names its server-name indication and session cache go by): a peer that sends it and nothing
     * more has started a handshake that the server must time out.
     */
    public static byte[] clientHello(SSLContext context, String host, int port) throws SSLException {
        SSLEngine engine = context.createSSLEngine(host, port);
        engine.setUseClientMode(true);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        byte[] hello = new byte[out.flip().remaining()];
        out.get(hello);
        return hello;
    }
}
