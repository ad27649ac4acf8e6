package dev.stevedore.image.registry;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.registry.http.TlsContexts;
import dev.stevedore.image.registry.http.TransportConfig;
import dev.stevedore.testsupport.TestCertificates;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutual TLS: against the real registry requiring a client certificate, and against a small HTTPS
 * server that requires one and answers 404 to every request (the handshake is what is tested there).
 * The real registry accepts our client certificate with its key in each format PKIs hand out.
 */
class MutualTlsRegistryTest {

    private static final String KEY_PASSWORD = "mtls-K3y-2b9d";

    @TempDir
    Path folder;

    @Test
    void theClientCertificateAndKeyFromPemFilesAreSentAndWithoutThemTheHandshakeFails() throws Exception {
        TestCertificates certificates = TestCertificates.create(Files.createDirectory(folder.resolve("certs")));
        SSLContext serverContext = TlsContexts.create(new TransportConfig(false, false, certificates.caCertificate(),
                certificates.serverCertificate(), certificates.serverKey()));
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        server.setHttpsConfigurator(new HttpsConfigurator(serverContext) {
            @Override
            public void configure(HttpsParameters parameters) {
                SSLParameters ssl = serverContext.getDefaultSSLParameters();
                ssl.setNeedClientAuth(true);
                parameters.setSSLParameters(ssl);
            }
        });
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        server.start();
        try {
            String host = "127.0.0.1:" + server.getAddress().getPort();
            ImageReference reference = ImageReference.parse(host + "/mtls/app:1");
            RegistryAuth withCertificate = RegistryAuth.of(host)
                    .withTransport(RegistryAuth.Transport.DEFAULT.withCaFile(certificates.caCertificate())
                    .withClientCertificate(certificates.clientCertificate(), certificates.clientKey(), null));
            try (RegistryTarget target = new RegistryTarget(Settings.of(List.of(withCertificate)))) {
                assertTrue(target.resolve(reference).isEmpty());
            }
            RegistryAuth withoutCertificate = RegistryAuth.of(host)
                    .withTransport(RegistryAuth.Transport.DEFAULT.withCaFile(certificates.caCertificate()));
            try (RegistryTarget target = new RegistryTarget(Settings.of(List.of(withoutCertificate)))) {
                assertThrows(RegistryException.class, () -> target.resolve(reference));
            }
        } finally {
            server.stop(0);
        }
    }

    @Test
    void theRealRegistryRequiringClientCertificatesAcceptsOursAndRefusesUsWithoutIt() throws Exception {
        try (dev.stevedore.testsupport.RegistryServer registry = dev.stevedore.testsupport.RegistryServer.builder().mutualTls().start()) {
            TestCertificates certificates = registry.certificates().orElseThrow();
            TestImage image = TestImage.multiArch(Files.createDirectory(folder.resolve("blobs")), 5000);
            ImageReference reference = ImageReference.parse(registry.hostPort() + "/mtls/app:1");
            RegistryAuth withCertificate = RegistryAuth.of(registry.hostPort())
                    .withTransport(RegistryAuth.Transport.DEFAULT.withCaFile(certificates.caCertificate())
                    .withClientCertificate(certificates.clientCertificate(), certificates.clientKey(), null));
            try (RegistryTarget target = new RegistryTarget(Settings.of(List.of(withCertificate)))) {
                image.push(target, reference);
                org.junit.jupiter.api.Assertions.assertEquals(image.index.digest(), target.resolve(reference).orElseThrow().digest());
            }
            RegistryAuth withoutCertificate = RegistryAuth.of(registry.hostPort())
                    .withTransport(RegistryAuth.Transport.DEFAULT.withCaFile(certificates.caCertificate()));
            try (RegistryTarget target = new RegistryTarget(Settings.of(List.of(withoutCertificate)))) {
                RegistryException e = assertThrows(RegistryException.class, () -> target.resolve(reference));
                assertTrue(e.getMessage().contains("cert_file") && e.getMessage().contains(registry.hostPort()), e.getMessage());
            }
        }
    }

    @Test
    void theRealRegistryAcceptsTheClientKeyInEveryFormatAndRefusesAKeyOfAnotherCertificate() throws Exception {
        try (dev.stevedore.testsupport.RegistryServer registry = dev.stevedore.testsupport.RegistryServer.builder().mutualTls().start()) {
            TestCertificates pki = registry.certificates().orElseThrow();
            Path ecCertificate = pki.issueClientCertificate("client-ec", "ec");
            Path edCertificate = pki.issueClientCertificate("client-ed", "ed25519");
            pki.openssl("pkcs1.pem", null, "rsa", "-in", "client.key", "-traditional", "-out", "pkcs1.pem");
            pki.openssl("pkcs8.der", null, "pkcs8", "-topk8", "-nocrypt", "-in", "client.key", "-outform", "DER", "-out", "pkcs8.der");
            pki.openssl("sec1.pem", null, "ec", "-in", "client-ec.key", "-out", "sec1.pem");
            pki.openssl("encrypted.pem", KEY_PASSWORD + "\n", "pkcs8", "-topk8", "-in", "client.key", "-passout", "stdin",
                    "-out", "encrypted.pem");
            Path certs = pki.caCertificate().getParent();
            TestImage image = TestImage.multiArch(Files.createDirectory(folder.resolve("blobs")), 5000);
            ImageReference first = ImageReference.parse(registry.hostPort() + "/mtls/formats:pkcs8");
            try (RegistryTarget target = new RegistryTarget(Settings.of(List.of(client(registry, pki, pki.clientCertificate(),
                    pki.clientKey(), null))))) {
                image.push(target, first);
            }
            List<List<Path>> keys = List.of(List.of(pki.clientCertificate(), certs.resolve("pkcs1.pem")),
                    List.of(pki.clientCertificate(), certs.resolve("pkcs8.der")),
                    List.of(pki.clientCertificate(), certs.resolve("encrypted.pem")),
                    List.of(ecCertificate, certs.resolve("sec1.pem")),
                    List.of(ecCertificate, pki.keyOf(ecCertificate)),
                    List.of(edCertificate, pki.keyOf(edCertificate)));
            for (List<Path> pair : keys) {
                try (RegistryTarget target = new RegistryTarget(Settings.of(List.of(client(registry, pki, pair.get(0), pair.get(1),
                        KEY_PASSWORD))))) {
                    org.junit.jupiter.api.Assertions.assertEquals(image.index.digest(), target.resolve(first).orElseThrow().digest(),
                            pair.get(1).getFileName().toString());
                }
            }
            try (RegistryTarget target = new RegistryTarget(Settings.of(List.of(client(registry, pki, ecCertificate, pki.clientKey(),
                    null))))) {
                RegistryException e = assertThrows(RegistryException.class, () -> target.resolve(first));
                assertTrue(e.getMessage().startsWith("cannot set up TLS for registry " + registry.hostPort() + ": key_file "
                        + pki.clientKey() + " does not belong to the certificate in cert_file " + ecCertificate), e.getMessage());
            }
            try (RegistryTarget target = new RegistryTarget(Settings.of(List.of(client(registry, pki, pki.clientCertificate(),
                    certs.resolve("encrypted.pem"), "wrong"))))) {
                RegistryException e = assertThrows(RegistryException.class, () -> target.resolve(first));
                assertTrue(e.getMessage().contains("cannot be decrypted with key_password: the password is wrong"), e.getMessage());
            }
        }
    }

    private static RegistryAuth client(dev.stevedore.testsupport.RegistryServer registry, TestCertificates pki, Path certificate, Path key,
                                       String keyPassword) {
        return RegistryAuth.of(registry.hostPort())
                .withTransport(RegistryAuth.Transport.DEFAULT.withCaFile(pki.caCertificate())
                .withClientCertificate(certificate, key, keyPassword));
    }
}
