package dev.stevedore.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throw-away PKI for TLS tests, made with {@code openssl} (RSA 2048) in a folder the caller owns:
 * a test CA, a server certificate for {@code 127.0.0.1} and {@code localhost} signed by it, a client
 * certificate for mutual-TLS tests, and a second, unrelated CA for "wrong CA" tests.
 *
 * <p>Real certificates, so a client under test verifies them exactly as it would in production:
 * <pre>{@code
 * TestCertificates certs = TestCertificates.create(tempDir);
 * try (RegistryServer registry = RegistryServer.builder().tls(certs).start()) {
 *     HttpClient client = HttpClient.newBuilder().sslContext(certs.trustingContext()).build();
 *     ...
 * }
 * }</pre>
 */
public final class TestCertificates {
    private static final String DAYS = "7";

    private final Path directory;

    private TestCertificates(Path directory) {
        this.directory = directory;
    }

    /** Creates every key and certificate in {@code directory} (created if missing). */
    public static TestCertificates create(Path directory) throws IOException {
        Files.createDirectories(directory);
        TestCertificates certificates = new TestCertificates(directory);
        certificates.createCa("ca", "Stevedore Test CA");
        certificates.createCa("other-ca", "Stevedore Unrelated Test CA");
        certificates.createSigned("server", "127.0.0.1",
                "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
        certificates.createSigned("client", "stevedore-test-client", "extendedKeyUsage=clientAuth\n");
        return certificates;
    }

    public Path caCertificate() {
        return directory.resolve("ca.crt");
    }

    public Path serverCertificate() {
        return directory.resolve("server.crt");
    }

    /** PEM, PKCS#8 (OpenSSL 3 default). */
    public Path serverKey() {
        return directory.resolve("server.key");
    }

    public Path clientCertificate() {
        return directory.resolve("client.crt");
    }

    /** PEM, PKCS#8. */
    public Path clientKey() {
        return directory.resolve("client.key");
    }

    /** A CA that signed nothing here: trusting only it must make TLS to the test servers fail. */
    public Path otherCaCertificate() {
        return directory.resolve("other-ca.crt");
    }

    /**
     * Issues another client certificate signed by the test CA, with a key of {@code keyAlgorithm}
     * ({@code "rsa:2048"}, {@code "ec"} for P-256, {@code "ed25519"}): {@code name.crt} and
     * {@code name.key} (PKCS#8, as OpenSSL 3 writes it) in this folder.
     *
     * @return the certificate; the key is {@link #keyOf(Path)}
     */
    public Path issueClientCertificate(String name, String keyAlgorithm) throws IOException {
        List<String> newKey = switch (keyAlgorithm) {
            case "ec" -> List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1");
            default -> List.of("-newkey", keyAlgorithm);
        };
        createSigned(name, "stevedore-test-client-" + name, "extendedKeyUsage=clientAuth\n", newKey);
        return directory.resolve(name + ".crt");
    }

    /** The key issued with {@code certificate} by this class. */
    public Path keyOf(Path certificate) {
        String file = certificate.getFileName().toString();
        return certificate.resolveSibling(file.substring(0, file.length() - ".crt".length()) + ".key");
    }

    /**
     * Runs {@code openssl} with {@code arguments} in this folder, feeding {@code stdin} (a passphrase,
     * say; may be null), for tests that need a key re-encoded the way a PKI hands it out: PKCS#1 with
     * {@code rsa -traditional}, SEC1 with {@code ec}, encrypted PKCS#8 with {@code pkcs8 -topk8}, DER
     * with {@code -outform DER}. Relative paths are in this folder.
     *
     * @return {@code output} resolved in this folder
     */
    public Path openssl(String output, String stdin, String... arguments) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        Commands.run(directory, stdin, command);
        return directory.resolve(output);
    }

    /** An {@link SSLContext} trusting only the test CA, for the JDK HttpClient in tests. */
    public SSLContext trustingContext() {
        return contextTrusting(caCertificate());
    }

    /**
     * An {@link SSLContext} trusting only the test CA and presenting the client certificate, for
     * registries started with {@link RegistryServer.Builder#mutualTls()}.
     */
    public SSLContext clientContext() {
        return presenting(clientCertificate(), clientKey(), true);
    }

    /** An {@link SSLContext} presenting the server certificate, for test servers of our own that serve HTTPS. */
    public SSLContext serverContext() {
        return presenting(serverCertificate(), serverKey(), false);
    }

    /** Presents {@code certificate} (with the CA above it) and its key; trusts only the test CA, or the JDK's defaults. */
    private SSLContext presenting(Path certificate, Path key, boolean trustTestCaOnly) {
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            List<Certificate> chain = new java.util.ArrayList<>(Pem.certificates(certificate));
            chain.addAll(Pem.certificates(caCertificate()));
            char[] password = "test".toCharArray(); // the in-memory key store needs one; nothing is stored
            keys.setKeyEntry("entity", Pem.rsaPrivateKey(key), password, chain.toArray(Certificate[]::new));
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), trustTestCaOnly ? trustManagers(caCertificate()) : null, null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build an SSLContext presenting " + certificate, e);
        }
    }

    /** An {@link SSLContext} trusting only the unrelated CA: connections to the test servers fail. */
    public SSLContext wrongCaContext() {
        return contextTrusting(otherCaCertificate());
    }

    private static SSLContext contextTrusting(Path caPem) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustManagers(caPem), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot build an SSLContext trusting " + caPem, e);
        }
    }

    private static TrustManager[] trustManagers(Path caPem) throws IOException, GeneralSecurityException {
        KeyStore trustStore = KeyStore.getInstance(KeyStore.getDefaultType());
        trustStore.load(null, null);
        int index = 0;
        for (Certificate certificate : Pem.certificates(caPem)) {
            trustStore.setCertificateEntry("ca-" + index++, certificate);
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trustStore);
        return trust.getTrustManagers();
    }

    private void createCa(String name, String commonName) throws IOException {
        Commands.run(directory, null, List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", name + ".key", "-out", name + ".crt", "-days", DAYS, "-subj", "/CN=" + commonName,
                "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign"));
    }

    private void createSigned(String name, String commonName, String extensions) throws IOException {
        createSigned(name, commonName, extensions, List.of("-newkey", "rsa:2048"));
    }

    private void createSigned(String name, String commonName, String extensions, List<String> newKey) throws IOException {
        Path extFile = directory.resolve(name + ".ext");
        // keyEncipherment is for RSA key exchange only; EC and EdDSA keys sign.
        String usage = newKey.get(1).startsWith("rsa") ? "digitalSignature,keyEncipherment" : "digitalSignature";
        Files.writeString(extFile, "basicConstraints=CA:FALSE\nkeyUsage=critical," + usage + "\n" + extensions);
        List<String> request = new java.util.ArrayList<>(List.of("openssl", "req"));
        request.addAll(newKey);
        request.addAll(List.of("-nodes", "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + commonName));
        Commands.run(directory, null, request);
        Commands.run(directory, null, List.of("openssl", "x509", "-req", "-in", name + ".csr",
                "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", DAYS,
                "-extfile", extFile.getFileName().toString(), "-out", name + ".crt"));
    }
}
