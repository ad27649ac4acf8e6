package dev.stevedore.image.registry.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Builds the {@link SSLContext} of one registry's HttpClient: the JDK's trusted CAs plus an optional
 * CA file, an optional client certificate for mutual TLS (its key in any format {@link PrivateKeyFiles} reads), or, for {@code skip_tls_verify}, a trust
 * manager that accepts any certificate and any host name. The latter lives in that client only; the
 * JVM-wide {@code jdk.internal.httpclient.disableHostnameVerification} property is never touched.
 */
public final class TlsContexts {

    private TlsContexts() {
    }

    public static SSLContext create(TransportConfig config) throws IOException {
        try {
            KeyManager[] keyManagers = config.certFile() == null ? null
                    : keyManagers(config.certFile(), config.keyFile(), config.keyPassword());
            TrustManager trustManager = config.skipTlsVerify() ? new TrustAll() : trustManager(config.caFile());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers, new TrustManager[] {trustManager}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static X509TrustManager trustManager(Path caFile) throws IOException, GeneralSecurityException {
        X509TrustManager system = defaultTrustManager(null);
        if (caFile == null) {
            return system;
        }
        KeyStore extra = KeyStore.getInstance(KeyStore.getDefaultType());
        extra.load(null, null);
        int n = 0;
        for (Certificate certificate : readCertificates("ca_file", caFile)) {
            extra.setCertificateEntry("ca-" + n++, certificate);
        }
        if (n == 0) {
            throw new IOException("ca_file " + caFile + " holds no certificate");
        }
        return new EitherTrustManager(defaultTrustManager(extra), system);
    }

    private static X509TrustManager defaultTrustManager(KeyStore keyStore) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(keyStore);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("no X509 trust manager available");
    }

    /** PEM or DER certificates; {@code key} names the argument in messages. */
    private static Collection<? extends Certificate> readCertificates(String key, Path file) throws IOException {
        try (InputStream in = new ByteArrayInputStream(TlsFiles.read(key, file))) {
            return CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (CertificateException e) {
            throw new IOException(key + " " + file + " holds no readable certificate (PEM or DER): " + e.getMessage(), e);
        }
    }

    private static KeyManager[] keyManagers(Path certFile, Path keyFile, String keyPassword) throws IOException, GeneralSecurityException {
        if (keyFile == null) {
            throw new IOException("cert_file " + certFile + " is given without key_file");
        }
        List<Certificate> chain = new ArrayList<>(readCertificates("cert_file", certFile));
        if (chain.isEmpty()) {
            throw new IOException("cert_file " + certFile + " holds no certificate");
        }
        PrivateKey key = PrivateKeyFiles.read(keyFile, keyPassword);
        if (!belongTogether(key, chain.get(0).getPublicKey())) {
            throw new IOException("key_file " + keyFile + " does not belong to the certificate in cert_file " + certFile
                    + " (the key does not match the certificate's public key); give the key that was issued with it");
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        char[] password = new char[0];
        store.setKeyEntry("client", key, password, chain.toArray(Certificate[]::new));
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, password);
        return factory.getKeyManagers();
    }

    /**
     * Signs a nonce with the key and verifies it with the certificate's public key: a key and certificate
     * that do not match otherwise fail only in the handshake, where the registry merely says it refused us.
     */
    private static boolean belongTogether(PrivateKey key, PublicKey certified) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "DSA" -> "SHA256withDSA";
            case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
            default -> null; // RSASSA-PSS needs parameters; the handshake tells
        };
        if (algorithm == null) {
            return true;
        }
        if (!key.getAlgorithm().equals(certified.getAlgorithm())
                && !(key.getAlgorithm().startsWith("Ed") && certified.getAlgorithm().startsWith("Ed"))) {
            return false;
        }
        try {
            byte[] nonce = "stevedore key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(nonce);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certified);
            verifier.update(nonce);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** Trusts a chain either the CA file or the JDK's store accepts. */
    private record EitherTrustManager(X509TrustManager first, X509TrustManager second) implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                first.checkClientTrusted(chain, authType);
            } catch (CertificateException notByCaFile) {
                second.checkClientTrusted(chain, authType);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                first.checkServerTrusted(chain, authType);
            } catch (CertificateException notByCaFile) {
                second.checkServerTrusted(chain, authType);
            }
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            List<X509Certificate> all = new ArrayList<>(List.of(first.getAcceptedIssuers()));
            all.addAll(List.of(second.getAcceptedIssuers()));
            return all.toArray(X509Certificate[]::new);
        }
    }

    /**
     * Accepts every certificate. It is an X509ExtendedTrustManager on purpose: JSSE wraps a plain
     * X509TrustManager and then still checks the host name, which is what skip_tls_verify turns off.
     */
    private static final class TrustAll extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
