package dev.stevedore.image.registry;

import dev.stevedore.image.ImageException;
import java.time.Duration;

/**
 * A registry operation failed. The message names the action (which includes the image and the
 * registry) and says what to do; subclasses let callers tell the user-relevant cases apart. Messages
 * never contain credentials: they are built from action descriptions and registry error codes only.
 */
public class RegistryException extends ImageException {

    private final int status;

    public RegistryException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public RegistryException(String message) {
        this(message, 0, null);
    }

    /** The HTTP status that caused the failure, or 0 when there was no response. */
    public int status() {
        return status;
    }

    /** 401: no or wrong credentials. */
    public static final class Unauthorized extends RegistryException {
        public Unauthorized(String action, String detail) {
            super("unauthorized to " + action + detail + ": check the username and password for this registry (auths or the Docker config file)", 401, null);
        }
    }

    /** 403 or DENIED: authenticated but not allowed. */
    public static final class Denied extends RegistryException {
        public Denied(String action, String detail) {
            super("access denied to " + action + detail + ": the account lacks permission for this repository", 403, null);
        }
    }

    /** 404, MANIFEST_UNKNOWN, BLOB_UNKNOWN, NAME_UNKNOWN. */
    public static final class NotFound extends RegistryException {
        public NotFound(String action, String detail) {
            super("not found: " + action + detail, 404, null);
        }
    }

    /** 429 after every retry. */
    public static final class RateLimited extends RegistryException {
        private final Duration wait;

        public RateLimited(String action, Duration wait) {
            super("rate limited while trying to " + action + ": the registry asks to wait "
                    + (wait == null ? "before retrying" : wait.toSeconds() + " s") + "; retry later or authenticate for a higher limit", 429, null);
            this.wait = wait;
        }

        /** What the registry asked us to wait (Retry-After), or null when it did not say. */
        public Duration retryAfter() {
            return wait;
        }
    }

    /** The server certificate could not be verified. */
    public static final class TlsVerificationFailed extends RegistryException {
        public TlsVerificationFailed(String action, String host, Throwable cause) {
            super("TLS verification failed for registry " + host + " while trying to " + action + ": " + reason(cause)
                    + "; give its CA certificate with ca_file, or set skip_tls_verify for this registry", 0, cause);
        }

        /** The JDK's words ("PKIX path building failed: sun.security...") say nothing to an operator. */
        private static String reason(Throwable cause) {
            for (Throwable t = cause; t != null; t = t.getCause()) {
                if (t instanceof java.security.cert.CertificateExpiredException) {
                    return "its certificate has expired";
                }
                if (t instanceof java.security.cert.CertificateNotYetValidException) {
                    return "its certificate is not valid yet";
                }
                String message = String.valueOf(t.getMessage());
                if (message.contains("No subject alternative") || message.contains("No name matching")) {
                    return "its certificate is not issued for this host name";
                }
                if (t instanceof java.security.cert.CertPathBuilderException || t instanceof java.security.cert.CertPathValidatorException) {
                    return "its certificate is not trusted (it is not signed by a certificate authority this machine trusts)";
                }
            }
            return "its certificate is not trusted";
        }
    }

    /** Content whose size or digest differs from what was asked for. */
    public static final class DigestMismatch extends RegistryException {
        public DigestMismatch(String message) {
            super(message, 0, null);
        }
    }

    /** Connection refused, reset, timed out, DNS failure, after every retry. */
    public static final class ConnectionFailed extends RegistryException {
        public ConnectionFailed(String action, String host, Throwable cause) {
            super("cannot connect to registry " + host + " to " + action + ": " + describe(cause)
                    + "; check the address, the network and the proxy settings", 0, cause);
        }

        private static String describe(Throwable cause) {
            String message = cause.getMessage();
            return cause.getClass().getSimpleName() + (message == null ? "" : " " + message);
        }
    }

    /**
     * The registry refused a manifest because of the {@code urls} of its foreign or non-distributable
     * layers. Retrying cannot help: only the registry's configuration can.
     */
    public static final class ForeignLayersRefused extends RegistryException {
        public ForeignLayersRefused(String action, String layer, int status) {
            super("the registry refused a manifest with foreign layers while trying to " + action
                    + " (HTTP " + status + ", MANIFEST_BLOB_UNKNOWN for layer " + layer + ", which lists urls): it does not"
                    + " accept layers that are downloaded from elsewhere (Windows base layers, non-distributable layers);"
                    + " allow their URLs in the registry's configuration (for the CNCF registry:"
                    + " validation.manifests.urls.allow, e.g. '^https?://'), or push to a registry that accepts them",
                    0, null); // 0, not the 500 it came with: the caller must not retry it as a server error
        }
    }

    /** Docker schema 1 or an unknown media type. */
    public static final class UnsupportedManifest extends RegistryException {
        public UnsupportedManifest(String message) {
            super(message, 0, null);
        }
    }
}
