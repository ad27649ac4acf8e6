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
 */
class MutualTlsRegistryTest {

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
            RegistryAuth withCertificate = new RegistryAuth(host, null, null, null, false, certificates.caCertificate(),
                    certificates.clientCertificate(), certificates.clientKey());
            try (RegistryTarget target = new RegistryTarget(Settings.of(List.of(withCertificate)))) {
                assertTrue(target.resolve(reference).isEmpty());
            }
            RegistryAuth withoutCertificate = new RegistryAuth(host, null, null, null, false, certificates.caCertificate(), null, null);
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
            RegistryAuth withCertificate = new RegistryAuth(registry.hostPort(), null, null, null, false, certificates.caCertificate(),
                    certificates.clientCertificate(), certificates.clientKey());
            try (RegistryTarget target = new RegistryTarget(Settings.of(List.of(withCertificate)))) {
                image.push(target, reference);
                org.junit.jupiter.api.Assertions.assertEquals(image.index.digest(), target.resolve(reference).orElseThrow().digest());
            }
            RegistryAuth withoutCertificate = new RegistryAuth(registry.hostPort(), null, null, null, false, certificates.caCertificate(),
                    null, null);
            try (RegistryTarget target = new RegistryTarget(Settings.of(List.of(withoutCertificate)))) {
                RegistryException e = assertThrows(RegistryException.class, () -> target.resolve(reference));
                assertTrue(e.getMessage().contains("cert_file") && e.getMessage().contains(registry.hostPort()), e.getMessage());
            }
        }
    }
}
