package dev.stevedore.image.registry.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Reads a client key ({@code key_file}) in the formats PKIs hand out: PKCS#8, PKCS#1 RSA, SEC1 EC and
 * encrypted PKCS#8, as PEM or DER, with the JDK alone. The JDK's {@code KeyFactory} reads only PKCS#8,
 * so PKCS#1 and SEC1 keys are put into a PKCS#8 envelope first (the envelope adds nothing but the
 * algorithm's identifier). The format is told from the DER structure, not only from the PEM label,
 * so a mislabelled file still reads. A file that cannot be read says what it holds and what is supported.
 */
final class PrivateKeyFiles {

    private static final Pattern PEM_BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    private static final byte[] RSA_ENCRYPTION = {0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01, 0x01, 0x01};
    private static final byte[] EC_PUBLIC_KEY = {0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x02, 0x01};
    /** PKCS#8 algorithm identifiers to the JDK's KeyFactory names. */
    private static final Map<String, String> ALGORITHMS = Map.of(
            "1.2.840.113549.1.1.1", "RSA",
            "1.2.840.113549.1.1.10", "RSASSA-PSS",
            "1.2.840.10045.2.1", "EC",
            "1.3.101.112", "Ed25519",
            "1.3.101.113", "Ed448",
            "1.2.840.10040.4.1", "DSA");

    private PrivateKeyFiles() {
    }

    /** What a file holds: its format and, for a key, the DER of it. */
    record Found(KeyFormat format, byte[] der) {
    }

    /**
     * @param password the {@code key_password}, or null; used only for an encrypted key, and never put in a message
     */
    static PrivateKey read(Path file, String password) throws IOException {
        Found found = identify(TlsFiles.read("key_file", file));
        if (!found.format().supported()) {
            throw new IOException("key_file " + file + " holds " + found.format().description() + "; supported are " + KeyFormat.SUPPORTED
                    + remedy(found.format(), file));
        }
        byte[] pkcs8 = switch (found.format()) {
            case PKCS1_RSA -> Der.sequence(Der.encode(Der.INTEGER, new byte[] {0}),
                    Der.sequence(Der.encode(Der.OID, RSA_ENCRYPTION), Der.encode(Der.NULL, new byte[0])),
                    Der.encode(Der.OCTET_STRING, found.der()));
            case SEC1_EC -> Der.sequence(Der.encode(Der.INTEGER, new byte[] {0}),
                    Der.sequence(Der.encode(Der.OID, EC_PUBLIC_KEY), curve(file, found.der())),
                    Der.encode(Der.OCTET_STRING, found.der()));
            case ENCRYPTED_PKCS8 -> decrypt(file, found.der(), password);
            default -> found.der();
        };
        return generate(file, found.format(), pkcs8);
    }

    /** The format of a key file's content, PEM or DER. */
    static Found identify(byte[] content) {
        String text = new String(content, StandardCharsets.ISO_8859_1);
        if (!text.contains("-----BEGIN ")) {
            return new Found(structure(content), content);
        }
        boolean certificate = false;
        Matcher block = PEM_BLOCK.matcher(text);
        while (block.find()) {
            String label = block.group(1);
            String body = block.group(2);
            switch (label) {
                case "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY" -> {
                    if (body.contains("Proc-Type:") && body.contains("ENCRYPTED")) {
                        return new Found(KeyFormat.LEGACY_ENCRYPTED_PEM, null);
                    }
                    byte[] der = base64(body);
                    return der == null ? new Found(KeyFormat.UNKNOWN, null) : new Found(structure(der), der);
                }
                case "OPENSSH PRIVATE KEY" -> {
                    return new Found(KeyFormat.OPENSSH, null);
                }
                case "CERTIFICATE", "TRUSTED CERTIFICATE" -> certificate = true;
                default -> {
                    // EC PARAMETERS (written before the key by 'openssl ecparam -genkey') and anything else: look further.
                }
            }
        }
        return new Found(certificate ? KeyFormat.CERTIFICATE : KeyFormat.UNKNOWN, null);
    }

    /** Tells the key formats apart by their ASN.1 shape. */
    private static KeyFormat structure(byte[] der) {
        try {
            Der.Element top = Der.parse(der);
            if (top.tag() != Der.SEQUENCE) {
                return KeyFormat.UNKNOWN;
            }
            List<Der.Element> c = top.children();
            if (c.size() >= 3 && (c.get(0).smallInteger() == 0 || c.get(0).smallInteger() == 1) && startsWithOid(c.get(1))
                    && c.get(2).tag() == Der.OCTET_STRING) {
                return KeyFormat.PKCS8; // PrivateKeyInfo (RFC 5208) or OneAsymmetricKey (RFC 5958)
            }
            if (c.size() == 2 && startsWithOid(c.get(0)) && c.get(1).tag() == Der.OCTET_STRING) {
                return KeyFormat.ENCRYPTED_PKCS8;
            }
            if (c.size() >= 9 && c.get(0).smallInteger() == 0 && c.stream().allMatch(e -> e.tag() == Der.INTEGER)) {
                return KeyFormat.PKCS1_RSA; // version, n, e, d, p, q, dp, dq, qinv
            }
            if (c.size() >= 2 && c.get(0).smallInteger() == 1 && c.get(1).tag() == Der.OCTET_STRING) {
                return KeyFormat.SEC1_EC;
            }
            if (c.size() >= 2 && c.get(0).smallInteger() == 3 && c.get(1).tag() == Der.SEQUENCE) {
                return KeyFormat.PKCS12;
            }
            if (c.size() == 3 && c.get(0).tag() == Der.SEQUENCE && c.get(1).tag() == Der.SEQUENCE && c.get(2).tag() == Der.BIT_STRING) {
                return KeyFormat.CERTIFICATE;
            }
        } catch (IOException notDer) {
            // Falls through: not a DER structure at all.
        }
        return KeyFormat.UNKNOWN;
    }

    private static boolean startsWithOid(Der.Element element) throws IOException {
        return element.tag() == Der.SEQUENCE && !element.children().isEmpty() && element.children().get(0).tag() == Der.OID;
    }

    /** SEC1's {@code [0]} parameters name the curve; PKCS#8 carries the same OID in its algorithm identifier. */
    private static byte[] curve(Path file, byte[] sec1) throws IOException {
        for (Der.Element element : Der.parse(sec1).children()) {
            if (element.tag() == Der.CONTEXT_0) {
                Der.Element parameters = element.children().isEmpty() ? null : element.children().get(0);
                if (parameters != null && parameters.tag() == Der.OID) {
                    return parameters.encoded();
                }
                throw new IOException("key_file " + file + " holds a SEC1 EC key whose curve is given by explicit parameters, which Java"
                        + " does not read; convert it: openssl ec -in " + file + " -param_enc named_curve -out key.pem");
            }
        }
        throw new IOException("key_file " + file + " holds a SEC1 EC key that does not name its curve; convert it to PKCS#8: "
                + "openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key.pem");
    }

    private static byte[] decrypt(Path file, byte[] der, String password) throws IOException {
        if (password == null || password.isEmpty()) {
            throw new IOException("key_file " + file + " holds an encrypted PKCS#8 key: give its password with key_password");
        }
        EncryptedPrivateKeyInfo info;
        String cipherName;
        AlgorithmParameters parameters;
        try {
            info = new EncryptedPrivateKeyInfo(der);
            parameters = info.getAlgParameters();
            // For PBES2 the algorithm is "PBES2" and the parameters name the real cipher (PBEWithHmacSHA256AndAES_256).
            String named = parameters == null ? "" : parameters.toString();
            cipherName = named.startsWith("PBEWith") ? named : info.getAlgName();
        } catch (IOException e) {
            throw unsupportedEncryption(file, e.getMessage(), e);
        }
        char[] chars = password.toCharArray();
        PBEKeySpec spec = new PBEKeySpec(chars);
        try {
            Cipher cipher = Cipher.getInstance(cipherName);
            cipher.init(Cipher.DECRYPT_MODE, SecretKeyFactory.getInstance(cipherName).generateSecret(spec), parameters);
            return info.getKeySpec(cipher).getEncoded();
        } catch (NoSuchAlgorithmException | NoSuchPaddingException e) {
            throw unsupportedEncryption(file, cipherName, e);
        } catch (GeneralSecurityException e) {
            // A wrong password decrypts to bytes with bad padding or that are not a key.
            throw new IOException("key_file " + file + " cannot be decrypted with key_password: the password is wrong", e);
        } finally {
            spec.clearPassword();
            Arrays.fill(chars, '\0');
        }
    }

    private static IOException unsupportedEncryption(Path file, String what, Exception cause) {
        return new IOException("key_file " + file + " is encrypted in a way Java cannot decrypt (" + what + "); re-encrypt it with AES: "
                + "openssl pkcs8 -topk8 -v2 aes-256-cbc -in " + file + " -out key.pem", cause);
    }

    private static PrivateKey generate(Path file, KeyFormat format, byte[] pkcs8) throws IOException {
        String oid;
        try {
            oid = Der.parse(pkcs8).children().get(1).children().get(0).oid();
        } catch (IOException | IndexOutOfBoundsException e) {
            throw new IOException("key_file " + file + " holds " + format.description() + " that is damaged: "
                    + (format == KeyFormat.ENCRYPTED_PKCS8 ? "key_password is probably wrong" : "its structure does not parse"), e);
        }
        String algorithm = ALGORITHMS.get(oid);
        if (algorithm == null) {
            throw new IOException("key_file " + file + " holds a key of algorithm " + oid + ", which is not supported (RSA, EC, Ed25519,"
                    + " Ed448 and DSA keys are)");
        }
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (InvalidKeySpecException | NoSuchAlgorithmException e) {
            throw new IOException("key_file " + file + " holds " + format.description() + " of type " + algorithm + " that Java cannot read"
                    + (format == KeyFormat.ENCRYPTED_PKCS8 ? " (key_password is probably wrong)" : ""), e);
        }
    }

    private static String remedy(KeyFormat format, Path file) {
        return switch (format) {
            case LEGACY_ENCRYPTED_PEM -> "; convert it to encrypted PKCS#8: openssl pkcs8 -topk8 -v2 aes-256-cbc -in " + file
                    + " -out key.pem, and give the password with key_password";
            case PKCS12 -> "; take the key out of it: openssl pkcs12 -in " + file + " -nocerts -nodes -out key.pem (and the certificate"
                    + " for cert_file with -clcerts -nokeys)";
            case OPENSSH -> "; an SSH key is not a TLS client key: give the key that belongs to cert_file";
            case CERTIFICATE -> "; key_file holds the private key that belongs to cert_file";
            default -> "";
        };
    }

    private static byte[] base64(String body) {
        StringBuilder base64 = new StringBuilder();
        for (String line : body.split("\\R")) {
            if (!line.contains(":")) {
                base64.append(line.strip());
            }
        }
        try {
            return Base64.getDecoder().decode(base64.toString());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
