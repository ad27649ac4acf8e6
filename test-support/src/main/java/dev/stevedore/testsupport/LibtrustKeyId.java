package dev.stevedore.testsupport;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Arrays;

/**
 * The key id docker's libtrust gives a public key, which distribution 2.8 uses to find the JWT signing
 * key among the certificates of its {@code rootcertbundle}: SHA-256 of the DER SubjectPublicKeyInfo,
 * first 240 bits, base32 without padding, in twelve groups of four joined by colons.
 */
final class LibtrustKeyId {
    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private LibtrustKeyId() {
    }

    static String of(PublicKey key) {
        byte[] hash;
        try {
            hash = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        String encoded = base32(Arrays.copyOf(hash, 30));
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < encoded.length(); i += 4) {
            if (i > 0) {
                id.append(':');
            }
            id.append(encoded, i, Math.min(i + 4, encoded.length()));
        }
        return id.toString();
    }

    /** RFC 4648 base32; 30 bytes are exactly 48 characters, so no padding arises. */
    static String base32(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(BASE32.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(BASE32.charAt((buffer << (5 - bits)) & 31));
        }
        return out.toString();
    }
}
