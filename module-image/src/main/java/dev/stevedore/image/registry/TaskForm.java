package dev.stevedore.image.registry;

/**
 * The argument form a task was written in. Each form names its registry settings differently (the
 * classic form's per-registry {@code insecure} is the newer form's {@code skip_tls_verify}; the
 * deprecated copy form has none), so every remedy an error suggests comes from here and names keys
 * the operator's task accepts.
 */
public enum TaskForm {
    /** {@code manifests}, {@code src}, {@code dest}, with {@code auths[].registry}. */
    NEWER,
    /** {@code pull:} and {@code push:}, with {@code auths[].repo}. */
    CLASSIC,
    /** KubeKey's deprecated {@code copy:}, which has no registry settings at all. */
    COPY;

    private static final String NO_SETTINGS = "the copy: form has no registry settings: write the task in the newer form"
            + " (manifests, src, dest) and ";

    /** How to make a certificate this machine does not trust acceptable. */
    String trustRemedy() {
        return switch (this) {
            case NEWER -> "give its CA certificate with ca_file in the registry's auths entry, or set skip_tls_verify: true there"
                    + " (or for the whole task)";
            case CLASSIC -> "give its CA certificate with ca_file in the registry's auths entry (the one with its repo:), or set"
                    + " insecure: true there (or skip_tls_verify: true for the whole pull or push)";
            case COPY -> NO_SETTINGS + "give ca_file or skip_tls_verify in its auths";
        };
    }

    /** How to present a client certificate. */
    String clientCertificateRemedy() {
        return this == COPY ? NO_SETTINGS + "give cert_file and key_file in its auths"
                : "give cert_file and key_file (and key_password for an encrypted key) in the registry's auths entry";
    }

    /** What to do for a registry that serves plain HTTP but is reached over HTTPS. */
    String plainHttpRemedy() {
        return switch (this) {
            case NEWER -> "set plain_http: true in the registry's auths entry; a registry marked skip_tls_verify: true also falls"
                    + " back to plain HTTP";
            case CLASSIC -> "set plain_http: true in the registry's auths entry (the one with its repo:); a registry marked"
                    + " insecure: true also falls back to plain HTTP";
            case COPY -> NO_SETTINGS + "give plain_http: true in its auths";
        };
    }

    /** What to do for a registry that serves HTTPS but is marked plain_http. */
    String httpsRemedy() {
        return "remove plain_http from the registry's auths entry (or set it to false)";
    }
}
