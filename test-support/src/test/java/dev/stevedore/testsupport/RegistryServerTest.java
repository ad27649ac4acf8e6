package dev.stevedore.testsupport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryServerTest {

    @Test
    void aPlainRegistryStoresAndServesAManifestByteForByte() throws IOException {
        try (RegistryServer registry = RegistryServer.start()) {
            assertEquals("http://" + registry.hostPort(), registry.baseUri().toString());
            MiniRegistryClient client = MiniRegistryClient.plain(registry.baseUri());

            byte[] pushed = client.pushSmallImage("test/plain", "v1");

            HttpResponse<byte[]> pulled = client.getManifest("test/plain", "v1");
            assertEquals(200, pulled.statusCode());
            assertArrayEquals(pushed, pulled.body());
            assertTrue(Files.isDirectory(registry.storageDir().resolve("docker/registry/v2/repositories/test/plain")));
        }
    }

    @Test
    void aManifestWithLayerUrlsIsRefusedUnlessTheConfigAllowsThem() throws IOException {
        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"windows\"}".getBytes(StandardCharsets.UTF_8);
        String absent = MiniRegistryClient.digest("a layer only its URL serves".getBytes(StandardCharsets.UTF_8));
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MiniRegistryClient.OCI_MANIFEST + "\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
                + MiniRegistryClient.digest(config) + "\",\"size\":" + config.length + "},"
                + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.nondistributable.v1.tar+gzip\",\"digest\":\""
                + absent + "\",\"size\":27,\"urls\":[\"https://example.com/layer.tar.gz\"]}]}").getBytes(StandardCharsets.UTF_8);
        try (RegistryServer strict = RegistryServer.start();
             RegistryServer allowing = RegistryServer.builder().allowManifestUrls("^https://example\\.com/").start()) {
            for (RegistryServer registry : new RegistryServer[] {strict, allowing}) {
                MiniRegistryClient client = MiniRegistryClient.plain(registry.baseUri());
                assertEquals(201, client.pushBlob("test/foreign", config).statusCode());
                HttpResponse<String> put = client.putManifest("test/foreign", "v1", manifest);
                if (registry == strict) {
                    assertEquals(500, put.statusCode(), put.body());
                    assertTrue(put.body().contains("\"MANIFEST_BLOB_UNKNOWN\"") && put.body().contains(absent), put.body());
                } else {
                    assertEquals(201, put.statusCode(), put.body());
                    assertArrayEquals(manifest, client.getManifest("test/foreign", "v1").body());
                }
            }
        }
    }

    @Test
    void aTlsRegistryIsReachableOnlyByClientsTrustingTheTestCa() throws IOException {
        try (RegistryServer registry = RegistryServer.builder().tls().start()) {
            TestCertificates certs = registry.certificates().orElseThrow();
            assertTrue(registry.isTls());
            assertFalse(registry.isMutualTls());
            assertEquals("https://" + registry.hostPort(), registry.baseUri().toString());

            MiniRegistryClient trusting = new MiniRegistryClient(registry.baseUri(), certs.trustingContext(), null);
            byte[] pushed = trusting.pushSmallImage("test/tls", "v1");
            assertArrayEquals(pushed, trusting.getManifest("test/tls", "v1").body());

            MiniRegistryClient wrongCa = new MiniRegistryClient(registry.baseUri(), certs.wrongCaContext(), null);
            assertThrows(SSLHandshakeException.class, () -> wrongCa.get("/v2/"));
        }
    }

    @Test
    void aTlsRegistryCanUseCertificatesSharedWithTheTest(@TempDir Path dir) throws IOException {
        TestCertificates certs = TestCertificates.create(dir.resolve("pki"));
        try (RegistryServer registry = RegistryServer.builder().tls(certs).start()) {
            assertEquals(certs, registry.certificates().orElseThrow());
            MiniRegistryClient client = new MiniRegistryClient(registry.baseUri(), certs.trustingContext(), null);
            assertEquals(200, client.get("/v2/").statusCode());
        }
    }

    @Test
    void aMutualTlsRegistryServesOnlyClientsPresentingTheTestClientCertificate() throws IOException {
        try (RegistryServer registry = RegistryServer.builder().mutualTls().start()) {
            TestCertificates certs = registry.certificates().orElseThrow();
            assertTrue(registry.isMutualTls());

            MiniRegistryClient withCertificate = new MiniRegistryClient(registry.baseUri(), certs.clientContext(), null);
            byte[] pushed = withCertificate.pushSmallImage("test/mtls", "v1");
            assertArrayEquals(pushed, withCertificate.getManifest("test/mtls", "v1").body());

            MiniRegistryClient withoutCertificate = new MiniRegistryClient(registry.baseUri(), certs.trustingContext(), null);
            assertThrows(IOException.class, () -> withoutCertificate.get("/v2/"));
        }
    }

    @Test
    void basicAuthAcceptsTheRightPasswordAndRejectsAWrongOne() throws IOException {
        try (RegistryServer registry = RegistryServer.builder().basicAuth("alice", "pa55 w0rd!").start()) {
            MiniRegistryClient anonymous = MiniRegistryClient.plain(registry.baseUri());
            assertEquals(401, anonymous.get("/v2/").statusCode());

            MiniRegistryClient alice = new MiniRegistryClient(registry.baseUri(), null, basic("alice", "pa55 w0rd!"));
            byte[] pushed = alice.pushSmallImage("test/basic", "v1");
            assertArrayEquals(pushed, alice.getManifest("test/basic", "v1").body());

            MiniRegistryClient wrong = new MiniRegistryClient(registry.baseUri(), null, basic("alice", "wrong"));
            assertEquals(401, wrong.get("/v2/").statusCode());
            assertEquals(401, wrong.getManifest("test/basic", "v1").statusCode());
        }
    }

    @Test
    void basicAuthWorksOverTls() throws IOException {
        try (RegistryServer registry = RegistryServer.builder().tls().basicAuth("bob", "secret").start()) {
            var tls = registry.certificates().orElseThrow().trustingContext();
            assertEquals(200, new MiniRegistryClient(registry.baseUri(), tls, basic("bob", "secret")).get("/v2/").statusCode());
            assertEquals(401, new MiniRegistryClient(registry.baseUri(), tls, basic("bob", "nope")).get("/v2/").statusCode());
        }
    }

    @Test
    void restartKeepsPortAndStorage() throws IOException {
        try (RegistryServer registry = RegistryServer.start()) {
            int port = registry.port();
            byte[] pushed = MiniRegistryClient.plain(registry.baseUri()).pushSmallImage("test/restart", "v1");

            registry.restart();

            assertEquals(port, registry.port());
            assertArrayEquals(pushed, MiniRegistryClient.plain(registry.baseUri()).getManifest("test/restart", "v1").body());
        }
    }

    @Test
    void anUploadSessionStartedBeforeARestartCanBeFinishedAfterIt() throws Exception {
        try (RegistryServer registry = RegistryServer.start()) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<String> started = http.send(HttpRequest.newBuilder(
                    registry.baseUri().resolve("/v2/test/midpush/blobs/uploads/")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(202, started.statusCode());
            URI location = registry.baseUri().resolve(started.headers().firstValue("Location").orElseThrow());

            registry.restart();

            byte[] blob = "pushed across a restart".getBytes(StandardCharsets.UTF_8);
            HttpResponse<String> finished = http.send(HttpRequest.newBuilder(
                    URI.create(location + "&digest=" + MiniRegistryClient.digest(blob)))
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(blob)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, finished.statusCode(), finished.body());
        }
    }

    @Test
    void stopEndsTheProcessAndCloseDeletesItsTemporaryStorage() throws IOException {
        RegistryServer registry = RegistryServer.start();
        Path storage = registry.storageDir();
        int port = registry.port();

        registry.stop();
        registry.stop(); // idempotent
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
        assertTrue(Files.exists(storage));

        registry.close();
        assertFalse(Files.exists(storage));
    }

    @Test
    void aGivenStorageFolderIsSharedAndKept(@TempDir Path dir) throws IOException {
        Path storage = Files.createDirectories(dir.resolve("storage"));
        byte[] pushed;
        try (RegistryServer first = RegistryServer.builder().storage(storage).start()) {
            pushed = MiniRegistryClient.plain(first.baseUri()).pushSmallImage("test/shared", "v1");
        }
        assertTrue(Files.isDirectory(storage.resolve("docker")));
        try (RegistryServer second = RegistryServer.builder().storage(storage).start()) {
            assertArrayEquals(pushed, MiniRegistryClient.plain(second.baseUri()).getManifest("test/shared", "v1").body());
        }
    }

    @Test
    void extraEnvironmentConfigurationReachesTheRegistry() throws IOException {
        try (RegistryServer registry = RegistryServer.builder()
                .env("REGISTRY_HTTP_HEADERS_X-Stevedore-Test", "[yes]").start()) {
            HttpResponse<String> response = MiniRegistryClient.plain(registry.baseUri()).get("/v2/");
            assertEquals("yes", response.headers().firstValue("X-Stevedore-Test").orElse(""));
            assertTrue(Files.readString(registry.logFile()).contains("listening on"));
        }
    }

    @Test
    void aFixedPortIsUsed() throws IOException {
        int port = FreePorts.find();
        try (RegistryServer registry = RegistryServer.builder().port(port).start()) {
            assertEquals(port, registry.port());
            assertEquals("127.0.0.1:" + port, registry.hostPort());
        }
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
