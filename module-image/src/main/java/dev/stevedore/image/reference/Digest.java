package dev.stevedore.image.reference;

import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content digest, {@code sha256:<64 lowercase hex>}. Only SHA-256 is accepted: it is what every
 * registry we target produces, and accepting others would mean content we cannot verify.
 */
public record Digest(String hex) {

    public static final String ALGORITHM = "sha256";
    private static final Pattern HEX = Pattern.compile("[a-f0-9]{64}");
    private static final Pattern ANY_ALGORITHM = Pattern.compile("[a-z0-9]+(?:[.+_-][a-z0-9]+)*");

    public Digest {
        if (hex == null || !HEX.matcher(hex).matches()) {
            throw new InvalidReferenceException("invalid sha256 digest: expected 64 lowercase hex characters, got '" + hex + "'");
        }
    }

    /** Parses {@code sha256:<hex>}; names the part that is wrong otherwise. */
    public static Digest parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new InvalidReferenceException("empty digest");
        }
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw new InvalidReferenceException("invalid digest '" + text + "': expected 'sha256:<64 hex characters>'");
        }
        String algorithm = text.substring(0, colon);
        if (!ALGORITHM.equals(algorithm)) {
            if (ANY_ALGORITHM.matcher(algorithm).matches()) {
                throw new InvalidReferenceException("unsupported digest algorithm '" + algorithm + "' in '" + text + "': only sha256 is supported");
            }
            throw new InvalidReferenceException("invalid digest algorithm '" + algorithm + "' in '" + text + "'");
        }
        return new Digest(text.substring(colon + 1));
    }

    public static Digest of(byte[] sha256) {
        if (sha256.length != 32) {
            throw new IllegalArgumentException("a sha256 digest has 32 bytes, got " + sha256.length);
        }
        return new Digest(HexFormat.of().formatHex(sha256));
    }

    /** Digest of a small byte array (a manifest); blobs are hashed while streaming instead. */
    public static Digest sha256Of(byte[] content) {
        return of(newSha256().digest(content));
    }

    /** A fresh SHA-256 to hash a stream as it goes by; the one place that asks the JDK for it. */
    public static java.security.MessageDigest newSha256() {
        try {
            return java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always provides SHA-256", e);
        }
    }

    /** {@code sha256:<hex>}. */
    @Override
    public String toString() {
        return ALGORITHM + ":" + hex;
    }
}
