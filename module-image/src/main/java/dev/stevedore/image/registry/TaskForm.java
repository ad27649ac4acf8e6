package dev.stevedore.image.registry;

/**
 * The argument form a task was written in, or the command line of {@code stevedore receipt}. Each names its
 * registry settings differently (the classic form's per-registry {@code insecure} is the newer form's
 * {@code skip_tls_verify}; the deprecated copy form has none; the command has {@code --plain-http} and
 * {@code --insecure}), so every remedy an error suggests comes from here and names keys or options the
 * operator can give.
 */
public enum TaskForm {
    /** {@code manifests}, {@code src}, {@code dest}, with {@code auths[].registry}. */
    NEWER,
    /** {@code pull:} and {@code push:}, with {@code auths[].repo}. */
    CLASSIC,
    /** KubeKey's deprecated {@code copy:}, which has no registry settings at all. */
    COPY,
    /** {@code stevedore receipt SOURCE FILE ...}, with {@code --plain-http} and {@code --insecure}. */
    RECEIPT_COMMAND;

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
            case RECEIPT_COMMAND -> "pass --insecure (stevedore receipt takes no CA file), or take the receipt with a push's"
                    + " receipt: FILE, whose auths entry can give ca_file";
        };
    }

    /** How to present a client certificate. */
    String clientCertificateRemedy() {
        return switch (this) {
            case COPY -> NO_SETTINGS + "give cert_file and key_file in its auths";
            case RECEIPT_COMMAND -> "stevedore receipt presents none: take the receipt with a push's receipt: FILE, whose auths"
                    + " entry can give cert_file and key_file";
            default -> "give cert_file and key_file (and key_password for an encrypted key) in the registry's auths entry";
        };
    }

    /** What to do for a registry that serves plain HTTP but is reached over HTTPS. */
    String plainHttpRemedy() {
        return switch (this) {
            case NEWER -> "set plain_http: true in the registry's auths entry; a registry marked skip_tls_verify: true also falls"
                    + " back to plain HTTP";
            case CLASSIC -> "set plain_http: true in the registry's auths entry (the one with its repo:); a registry marked"
                    + " insecure: true also falls back to plain HTTP";
            case COPY -> NO_SETTINGS + "give plain_http: true in its auths";
            case RECEIPT_COMMAND -> "pass --plain-http";
        };
    }

    /** What to do for a registry that serves HTTPS but is marked plain_http. */
    String httpsRemedy() {
        return this == RECEIPT_COMMAND ? "leave out --plain-http"
                : "remove plain_http from the registry's auths entry (or set it to false)";
    }
}
