package dev.stevedore.image.registry.http;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Optional;
import javax.net.ssl.SSLHandshakeException;

/**
 * Why a connection to a host could not be made, in the words an operator reads: the JDK says
 * "ConnectException" with the reason two causes down, or nothing at all.
 */
public enum ConnectionFault {
    CANNOT_RESOLVE("cannot resolve host"),
    REFUSED("connection refused"),
    TIMED_OUT("connection timed out"),
    NO_ROUTE("no route to host"),
    TLS_HANDSHAKE("TLS handshake failed");

    private final String words;

    ConnectionFault(String words) {
        this.words = words;
    }

    /** "connection refused", "cannot resolve host", ... */
    public String words() {
        return words;
    }

    /** Whether waiting can help: a name that does not resolve will not resolve in two seconds either. */
    public boolean retryable() {
        return this != CANNOT_RESOLVE && this != TLS_HANDSHAKE;
    }

    /** The fault behind a failed send when no connection was made; empty for failures on an open connection. */
    public static Optional<ConnectionFault> of(IOException failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return Optional.of(CANNOT_RESOLVE);
            }
            if (t instanceof NoRouteToHostException) {
                return Optional.of(NO_ROUTE);
            }
            if (t instanceof HttpConnectTimeoutException) {
                return Optional.of(TIMED_OUT);
            }
            if (t instanceof SSLHandshakeException) {
                return Optional.of(TLS_HANDSHAKE);
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                String message = String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT);
                return Optional.of(message.contains("timed out") ? TIMED_OUT : REFUSED);
            }
        }
        return Optional.empty();
    }
}
