package io.selectors4j.loop;

import java.security.cert.Certificate;
import java.util.List;
import javax.net.ssl.SSLSession;

/**
 * What a TLS handshake agreed, as {@link TlsTransport#tlsSession()} tells it (made on each call: an
 * idle connection holds none).
 *
 * @param protocol            the TLS version, such as {@code TLSv1.3}
 * @param cipherSuite         the cipher suite, such as {@code TLS_AES_128_GCM_SHA256}
 * @param applicationProtocol the protocol agreed by ALPN, or {@code null} when none was
 * @param peerCertificates    the peer's certificate chain, its own first; empty when it sent none (a
 *                            client of a server that does not ask for one)
 * @param sslSession          the JDK's session, for anything else (local certificates, session id)
 */
public record TlsSession(String protocol, String cipherSuite, String applicationProtocol,
        List<Certificate> peerCertificates, SSLSession sslSession) {
}
