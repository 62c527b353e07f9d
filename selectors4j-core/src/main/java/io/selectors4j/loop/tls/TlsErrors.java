package io.selectors4j.loop.tls;

import java.time.Duration;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * The one-line errors a TLS connection ends with: {@code handshake failed: ...} before the handshake
 * completed, {@code TLS error: ...} after it, each with the engine's exception as its cause.
 */
final class TlsErrors {
    private static final String HANDSHAKE = "handshake failed: ";
    private static final String AFTER = "TLS error: ";

    private TlsErrors() {
    }

    /** {@code handshake failed: reason}. */
    static SSLHandshakeException handshakeFailed(String reason, Throwable cause) {
        SSLHandshakeException e = new SSLHandshakeException(HANDSHAKE + reason);
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    /** What ended a handshake: {@code error} itself when it says so already, else one made from it. */
    static SSLException handshakeFailed(Throwable error) {
        if (error instanceof SSLException tls && tls.getMessage() != null && tls.getMessage().startsWith(HANDSHAKE)) {
            return tls;
        }
        return handshakeFailed(error == null ? "the connection was closed" : describe(error), error);
    }

    /** {@code TLS error: ...} for a failure after the handshake. */
    static SSLException failed(Exception e) {
        if (e instanceof SSLException tls && tls.getMessage() != null && tls.getMessage().startsWith(AFTER)) {
            return tls;
        }
        return new SSLException(AFTER + describe(e), e);
    }

    /** {@code TLS error: the peer asked for renegotiation, which is refused}. */
    static SSLException renegotiationRefused() {
        return new SSLException(AFTER + "the peer asked for renegotiation, which is refused");
    }

    /** The one line that says what went wrong: the innermost message that says anything. */
    static String describe(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getCause() != null ? describe(e.getCause()) : e.getClass().getSimpleName();
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /** A timeout as a person reads it: {@code 60 s}, {@code 300 ms}. */
    static String seconds(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }
}
