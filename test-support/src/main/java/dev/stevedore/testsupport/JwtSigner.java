package dev.stevedore.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;

/**
 * Signs JWTs with RS256 using a key and self-signed certificate made by openssl. The header names
 * the key by its libtrust key id, which is how distribution 2.8 finds it in {@code rootcertbundle}.
 */
final class JwtSigner {
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final PrivateKey key;
    private final X509Certificate certificate;
    private final Path certificateFile;

    private JwtSigner(PrivateKey key, X509Certificate certificate, Path certificateFile) {
        this.key = key;
        this.certificate = certificate;
        this.certificateFile = certificateFile;
    }

    /** Makes an RSA 2048 key and a self-signed certificate in {@code directory}. */
    static JwtSigner create(Path directory) throws IOException {
        Commands.run(directory, null, List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", "token-signer.key", "-out", "token-signer.crt", "-days", "7",
                "-subj", "/CN=Stevedore Test Token Signer"));
        Path keyFile = directory.resolve("token-signer.key");
        Path certFile = directory.resolve("token-signer.crt");
        return new JwtSigner(Pem.rsaPrivateKey(keyFile), Pem.certificates(certFile).get(0), certFile);
    }

    /** The PEM certificate the registry trusts ({@code auth.token.rootcertbundle}). */
    Path certificateFile() {
        return certificateFile;
    }

    String keyId() {
        return LibtrustKeyId.of(certificate.getPublicKey());
    }

    /** A compact JWS: base64url(header).base64url(claims).base64url(RS256 signature). */
    String sign(String claimsJson) {
        String header = "{\"typ\":\"JWT\",\"alg\":\"RS256\",\"kid\":" + Json.string(keyId()) + "}";
        String signingInput = encode(header) + "." + encode(claimsJson);
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(key);
            rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + BASE64URL.encodeToString(rs256.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RS256 signing failed", e);
        }
    }

    private static String encode(String json) {
        return BASE64URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
