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
 * Mutual TLS. The real registry's start-up probe cannot present a client certificate, so a small HTTPS
 * server that requires one (signed by the test CA) stands in: it answers 404 to every manifest HEAD.
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
}
