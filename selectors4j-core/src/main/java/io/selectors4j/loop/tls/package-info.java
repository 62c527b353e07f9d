/**
 * TLS for the event loop's stream transports, with the JDK's {@code SSLEngine}: a layer between the
 * plain transport and the application's protocol (asyncio's {@code sslproto}). Not exported: the
 * public face is {@code TlsSettings}, {@code TlsTransport} and {@code TlsSession} in
 * {@code io.selectors4j.loop}, and the {@code listen} and {@code connect} overloads that take
 * {@code TlsSettings}.
 */
package io.selectors4j.loop.tls;
