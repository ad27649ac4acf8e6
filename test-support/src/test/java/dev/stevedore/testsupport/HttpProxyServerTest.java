package dev.stevedore.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class HttpProxyServerTest {

    @Test
    void plainRequestsArriveInAbsoluteFormAndAreForwarded() throws Exception {
        try (RegistryServer registry = RegistryServer.start(); HttpProxyServer proxy = HttpProxyServer.start()) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .proxy(ProxySelector.of(proxy.address())).build();

            HttpResponse<String> response = http.send(HttpRequest.newBuilder(registry.baseUri().resolve("/v2/")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertEquals(200, response.statusCode());
            assertTrue(proxy.requests().contains("GET http://" + registry.hostPort() + "/v2/"), proxy.requests().toString());
        }
    }

    @Test
    void httpsRequestsTunnelWithConnect() throws Exception {
        try (RegistryServer registry = RegistryServer.builder().tls().start(); HttpProxyServer proxy = HttpProxyServer.start()) {
            HttpClient http = HttpClient.newBuilder().proxy(ProxySelector.of(proxy.address()))
                    .sslContext(registry.certificates().orElseThrow().trustingContext()).build();

            HttpResponse<String> response = http.send(HttpRequest.newBuilder(registry.baseUri().resolve("/v2/")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertEquals(200, response.statusCode());
            assertEquals(1, proxy.requests().stream().filter(r -> r.equals("CONNECT " + registry.hostPort())).count(),
                    proxy.requests().toString());
        }
    }

    @Test
    void aRequestNotSentThroughTheProxyIsNotInItsLog() throws Exception {
        try (RegistryServer registry = RegistryServer.start(); HttpProxyServer proxy = HttpProxyServer.start()) {
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(registry.baseUri().resolve("/v2/")).build(),
                    HttpResponse.BodyHandlers.discarding());

            assertTrue(proxy.requests().isEmpty(), proxy.requests().toString());
        }
    }

    @Test
    void closeStopsTheProxyAndDeletesItsFolder() throws IOException {
        HttpProxyServer proxy = HttpProxyServer.start();
        Path log = proxy.logFile();
        assertTrue(Files.exists(log));

        proxy.close();

        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", proxy.address().getPort()).close());
        assertFalse(Files.exists(log));
    }
}
