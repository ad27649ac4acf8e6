package dev.stevedore.image.registry.http;

/**
 * What a {@code key_file} was found to hold, named as operators know the formats, so that an error
 * can say what was found and what is supported.
 */
enum KeyFormat {
    PKCS8("a PKCS#8 key (BEGIN PRIVATE KEY)", true),
    PKCS1_RSA("a PKCS#1 RSA key (BEGIN RSA PRIVATE KEY)", true),
    SEC1_EC("a SEC1 EC key (BEGIN EC PRIVATE KEY)", true),
    ENCRYPTED_PKCS8("an encrypted PKCS#8 key (BEGIN ENCRYPTED PRIVATE KEY)", true),
    LEGACY_ENCRYPTED_PEM("a key encrypted in OpenSSL's legacy PEM format (Proc-Type: 4,ENCRYPTED)", false),
    PKCS12("a PKCS#12 key store (.p12, .pfx)", false),
    OPENSSH("an OpenSSH key (BEGIN OPENSSH PRIVATE KEY)", false),
    CERTIFICATE("a certificate, not a private key", false),
    UNKNOWN("nothing recognisable as a private key", false);

    /** Every format {@code key_file} accepts, for messages. */
    static final String SUPPORTED = "PKCS#8 (BEGIN PRIVATE KEY), PKCS#1 RSA (BEGIN RSA PRIVATE KEY), SEC1 EC (BEGIN EC PRIVATE KEY)"
            + " and encrypted PKCS#8 (BEGIN ENCRYPTED PRIVATE KEY, with key_password), in PEM or DER";

    private final String description;
    private final boolean supported;

    KeyFormat(String description, boolean supported) {
        this.description = description;
        this.supported = supported;
    }

    String description() {
        return description;
    }

    boolean supported() {
        return supported;
    }
}
