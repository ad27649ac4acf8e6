package dev.stevedore.image.registry;

import dev.stevedore.image.error.ContentMismatch;
import dev.stevedore.image.error.ImageException;
import dev.stevedore.image.registry.http.ConnectionFault;
import java.time.Duration;
import java.util.List;

/**
 * A registry operation failed. The message names the action (which includes the image and the
 * registry) and says what to do; subclasses let callers tell the user-relevant cases apart. Messages
 * never contain credentials: they are built from action descriptions and registry error codes only.
 */
public class RegistryException extends ImageException {

    private final int status;
    private List<String> codes = List.of();

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

    /** The registry's error codes ({@code errors[].code}: {@code NAME_UNKNOWN}, {@code BLOB_UPLOAD_INVALID}), if it sent any. */
    public List<String> codes() {
        return codes;
    }

    public boolean hasCode(String code) {
        return codes.contains(code);
    }

    /**
     * Set once, where the response is read ({@link RegistryErrors}); a field rather than a constructor
     * argument so that each subclass keeps the constructor its message needs.
     */
    RegistryException withCodes(List<String> registryCodes) {
        this.codes = List.copyOf(registryCodes);
        return this;
    }

    /** 401: no credentials for the host that refused, or wrong ones. */
    public static final class Unauthorized extends RegistryException {
        /**
         * @param host the host that refused (a redirect target is named as itself, not as the registry)
         * @param sent what was sent to it ("user bob", "the identity token"), empty when no credentials
         *             were configured for that host
         */
        public Unauthorized(String action, String detail, String host, java.util.Optional<String> sent) {
            super("unauthorized to " + action + detail + ": " + remedy(host, sent), 401, null);
        }

        private static String remedy(String host, java.util.Optional<String> sent) {
            if (sent.isPresent()) {
                return host + " refused " + sent.get() + "; check the credentials for " + host + " (auths or the Docker config file)";
            }
            return "the repository needs a login at " + host + ", or does not exist there; no credentials were given for " + host
                    + " (add an auths entry for it, or run docker login " + host + ")";
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
        /** @param remedy what to do, in the keys of the task's form ({@link TaskForm}) */
        public TlsVerificationFailed(String action, String host, String remedy, Throwable cause) {
            super("TLS verification failed for registry " + host + " while trying to " + action + ": " + reason(cause)
                    + "; " + remedy, 0, cause);
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

    /** Content whose size or digest differs from what was asked for; never retried as it stands. */
    public static final class DigestMismatch extends RegistryException implements ContentMismatch {
        public DigestMismatch(String message) {
            super(message, 0, null);
        }
    }

    /** Connection refused, reset, timed out, DNS failure, after every retry. */
    public static final class ConnectionFailed extends RegistryException {
        public ConnectionFailed(String action, String host, Throwable cause) {
            super("cannot connect to registry " + host + " to " + withoutHost(action, host) + ": " + describe(cause)
                    + "; check the address, the network and the proxy settings", 0, cause);
        }

        /** The registry's shared connection budget is spent, or a fault that waiting cannot mend. */
        public ConnectionFailed(String action, String host, ConnectionFault fault, int attempts) {
            super(fault == ConnectionFault.CANNOT_RESOLVE
                    ? "cannot resolve host " + hostOnly(host) + " of registry " + host + " to " + action
                            + ": check the registry's name, this machine's DNS settings and the proxy settings"
                    : "cannot connect to registry " + host + " to " + withoutHost(action, host) + ": " + fault.words()
                            + (attempts > 1 ? " (" + attempts + " attempts)" : "") + "; check the address, the network and the proxy settings",
                    0, null);
        }

        /** The action without the registry it ends with, which the message names first ("... on registry HOST"). */
        private static String withoutHost(String action, String host) {
            for (String preposition : new String[] {" on registry ", " from registry ", " to registry "}) {
                if (action.endsWith(preposition + host)) {
                    return action.substring(0, action.length() - preposition.length() - host.length());
                }
            }
            return action;
        }

        private static String hostOnly(String hostPort) {
            int colon = hostPort.lastIndexOf(':');
            return colon > 0 && hostPort.indexOf(']') < colon ? hostPort.substring(0, colon) : hostPort;
        }

        private static String describe(Throwable cause) {
            if (cause instanceof java.io.IOException io) {
                java.util.Optional<ConnectionFault> fault = ConnectionFault.of(io);
                if (fault.isPresent()) {
                    return fault.get().words();
                }
            }
            String message = String.valueOf(cause.getMessage());
            if (message.toLowerCase(java.util.Locale.ROOT).contains("reset")) {
                return "the connection was reset";
            }
            if (cause instanceof java.net.http.HttpTimeoutException || cause instanceof java.net.SocketTimeoutException) {
                return "the registry stopped answering (" + message + ")";
            }
            return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : " " + message);
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
