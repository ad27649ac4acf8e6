package dev.stevedore.image.registry;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.Locale;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Explains failures of the transport to one registry (TLS, or HTTP and HTTPS mixed up) in the keys of
 * the task's form: a certificate this machine does not trust, a registry that wants a client
 * certificate, a registry that serves plain HTTP reached over HTTPS, and one that serves HTTPS reached
 * with {@code plain_http}, which otherwise shows as a bare "HTTP 400".
 */
final class TransportFailures {

    /** What TLS servers answer a plain-HTTP request with: Go's, nginx's and others' wording. */
    private static final String[] HTTPS_PORT_ANSWERS = {"http request to an https server", "sent to https port", "https server", "https port",
        "tls handshake"};

    private final URI origin;
    private final TaskForm form;

    TransportFailures(URI origin, TaskForm form) {
        this.origin = origin;
        this.form = form;
    }

    /** Our verification of the server failed, or the server refused us (typically: no client certificate). */
    RegistryException handshakeFailed(String action, SSLHandshakeException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof CertificateException || cause instanceof CertPathValidatorException) {
                return new RegistryException.TlsVerificationFailed(action, origin.getAuthority(), form.trustRemedy(), e);
            }
        }
        return new RegistryException("TLS handshake with registry " + origin.getAuthority() + " failed while trying to " + action
                + " (" + e.getMessage() + "): if the registry requires a client certificate, " + form.clientCertificateRemedy(), 0, e);
    }

    /** TLS failed after or outside the handshake; typically a plain-HTTP registry reached over HTTPS. */
    RegistryException tlsFailed(String action, SSLException e) {
        String message = String.valueOf(e.getMessage());
        boolean plainHttpAnswer = message.contains("Unsupported or unrecognized SSL message") || message.contains("plaintext");
        return new RegistryException("TLS with registry " + origin.getAuthority() + " failed while trying to " + action + " (" + message
                + ")" + (plainHttpAnswer ? ": the registry answers in plain HTTP; " + form.plainHttpRemedy()
                : ": if the registry serves plain HTTP, " + form.plainHttpRemedy()), 0, e);
    }

    /**
     * A 400 to a plain-HTTP request whose body is not a registry's error: what a TLS port answers.
     *
     * @return the explained failure, or null when this is an ordinary 400 (or the origin is HTTPS)
     */
    RegistryException plainHttpToTlsPort(String action, int status, byte[] body) {
        if (status != 400 || !"http".equalsIgnoreCase(origin.getScheme()) || !RegistryErrors.parse(body).isEmpty()) {
            return null;
        }
        String text = new String(body, StandardCharsets.UTF_8).strip();
        String lower = text.toLowerCase(Locale.ROOT);
        boolean saysHttps = false;
        for (String answer : HTTPS_PORT_ANSWERS) {
            saysHttps |= lower.contains(answer);
        }
        String quoted = text.isEmpty() ? "" : ", saying \"" + (text.length() > 120 ? text.substring(0, 120) + "..." : text) + "\"";
        return new RegistryException("registry " + origin.getAuthority() + " answered the plain-HTTP request to " + action
                + " with HTTP 400" + quoted + ": " + (saysHttps ? "it serves HTTPS, so plain_http is wrong for it; " : "if it serves HTTPS, ")
                + form.httpsRemedy(), 400, null);
    }
}
