package dev.stevedore.testsupport;

import static dev.stevedore.testsupport.RegistryServerTest.basic;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultProxyTest {
    private static final String REPO = "fault/test";
    private static final int BLOB_SIZE = 200_000;

    private RegistryServer registry;
    private FaultProxy proxy;
    private byte[] blob;
    private String blobPath;

    @BeforeEach
    void startRegistryWithABlobAndAProxy() throws IOException {
        registry = RegistryServer.start();
        blob = new byte[BLOB_SIZE];
        new Random(42).nextBytes(blob);
        assertEquals(201, MiniRegistryClient.plain(registry.baseUri()).pushBlob(REPO, blob).statusCode());
        blobPath = "/v2/" + REPO + "/blobs/" + MiniRegistryClient.digest(blob);
        proxy = FaultProxy.start(registry.baseUri());
    }

    @AfterEach
    void stopAll() {
        proxy.close();
        registry.close();
    }

    @Test
    void withoutFaultsAPushAndPullThroughTheProxyWorkAndUploadsStayOnTheProxy() throws IOException {
        MiniRegistryClient client = MiniRegistryClient.plain(proxy.baseUri());
        HttpResponse<String> start = client.pushBlob("fault/other", "x".getBytes());
        assertEquals(201, start.statusCode());
        assertTrue(start.headers().firstValue("Location").orElseThrow().startsWith(proxy.baseUri().toString()),
                start.headers().toString());

        byte[] manifest = client.pushSmallImage("fault/other", "v1");

        assertArrayEquals(manifest, client.getManifest("fault/other", "v1").body());
        assertArrayEquals(blob, RawHttp.get(proxy.baseUri(), blobPath).body());
        assertTrue(proxy.requests().stream().anyMatch(r -> r.method().equals("PUT")
                && r.path().startsWith("/v2/fault/other/blobs/uploads/") && r.status() == 201), proxy.requests().toString());
    }

    @Test
    void aScriptedErrorFiresTheGivenNumberOfTimesThenRequestsPassThrough() throws IOException {
        proxy.on("GET", "/v2/").times(2).respond(503, Map.of("Retry-After", "3"), "{\"errors\":[]}");

        RawHttp.Result first = RawHttp.get(proxy.baseUri(), "/v2/");
        RawHttp.Result second = RawHttp.get(proxy.baseUri(), "/v2/");
        RawHttp.Result third = RawHttp.get(proxy.baseUri(), "/v2/");

        assertEquals(503, first.status());
        assertEquals("3", first.head().get("Retry-After").orElseThrow());
        assertEquals("{\"errors\":[]}", new String(first.body()));
        assertEquals(503, second.status());
        assertEquals(200, third.status());
        assertEquals(List.of(503, 503, 200), proxy.requests().stream().map(RecordedRequest::status).toList());
    }

    @Test
    void tooManyRequestsCarriesRetryAfterToAJdkClient() throws Exception {
        proxy.on("*", "/v2/.+/blobs/.+").respond(429, Map.of("Retry-After", "1"), "");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(proxy.baseUri().resolve(blobPath)).build();

        HttpResponse<byte[]> limited = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        HttpResponse<byte[]> retried = http.send(request, HttpResponse.BodyHandlers.ofByteArray());

        assertEquals(429, limited.statusCode());
        assertEquals("1", limited.headers().firstValue("Retry-After").orElseThrow());
        assertEquals(200, retried.statusCode());
        assertArrayEquals(blob, retried.body());
    }

    @Test
    void resetAfterBodyBytesDeliversExactlyThoseBytesThenAConnectionReset() throws IOException {
        proxy.on("GET", "/v2/.+/blobs/sha256:.+").resetAfterBodyBytes(50_000);

        RawHttp.Result cut = RawHttp.get(proxy.baseUri(), blobPath);

        assertEquals(200, cut.status());
        assertEquals(Long.toString(BLOB_SIZE), cut.head().get("Content-Length").orElseThrow());
        assertEquals(50_000, cut.body().length);
        assertArrayEquals(java.util.Arrays.copyOf(blob, 50_000), cut.body());
        assertNotNull(cut.error());
        assertTrue(cut.error() instanceof SocketException, cut.error().toString());
        assertArrayEquals(blob, RawHttp.get(proxy.baseUri(), blobPath).body(), "the fault fired once");
    }

    @Test
    void aJdkClientSeesTheResetAsAnIoException() {
        proxy.on("GET", "/v2/.+/blobs/sha256:.+").resetAfterBodyBytes(1000);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(proxy.baseUri().resolve(blobPath)).build();

        assertThrows(IOException.class, () -> http.send(request, HttpResponse.BodyHandlers.ofByteArray()));
    }

    @Test
    void truncateBodyAfterClosesCleanlyShortOfTheContentLength() throws IOException {
        proxy.on("GET", "/v2/.+/blobs/sha256:.+").truncateBodyAfter(1234);

        RawHttp.Result truncated = RawHttp.get(proxy.baseUri(), blobPath);

        assertEquals(Long.toString(BLOB_SIZE), truncated.head().get("Content-Length").orElseThrow());
        assertArrayEquals(java.util.Arrays.copyOf(blob, 1234), truncated.body());
        assertNull(truncated.error(), "a clean end of stream, not a reset");
    }

    @Test
    void stallBodyAfterPausesMidBodyThenDeliversTheRest() throws IOException {
        proxy.on("GET", "/v2/.+/blobs/sha256:.+").stallBodyAfter(10_000, Duration.ofMillis(1500));

        RawHttp.Result stalled = RawHttp.get(proxy.baseUri(), blobPath);

        assertTrue(stalled.millis() >= 1500, "took " + stalled.millis() + " ms");
        assertArrayEquals(blob, stalled.body());
    }

    @Test
    void aStallLongerThanTheClientsReadTimeoutMakesTheClientGiveUp() throws IOException {
        proxy.on("GET", "/v2/.+/blobs/sha256:.+").stallBodyAfter(10_000, Duration.ofSeconds(5));
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", proxy.baseUri().getPort())) {
            socket.setSoTimeout(500);
            socket.getOutputStream().write(("GET " + blobPath + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes());
            var in = socket.getInputStream();
            byte[] buffer = new byte[BLOB_SIZE];
            int total = 0;
            IOException timeout = null;
            try {
                for (int read; (read = in.read(buffer, total, buffer.length - total)) > 0; ) {
                    total += read;
                }
            } catch (java.net.SocketTimeoutException e) {
                timeout = e;
            }
            assertNotNull(timeout, "the read timed out during the stall");
            assertTrue(total > 10_000 && total < 10_000 + 1024, "head plus 10000 body bytes, got " + total);
        }
    }

    @Test
    void flipByteAtCorruptsExactlyOneByteAndKeepsTheLength() throws IOException {
        proxy.on("GET", "/v2/.+/blobs/sha256:.+").flipByteAt(123_456);

        byte[] corrupt = RawHttp.get(proxy.baseUri(), blobPath).body();

        assertEquals(BLOB_SIZE, corrupt.length);
        assertFalse(MiniRegistryClient.digest(blob).equals(MiniRegistryClient.digest(corrupt)));
        corrupt[123_456] ^= (byte) 0xFF;
        assertArrayEquals(blob, corrupt);
    }

    @Test
    void delayHoldsBackTheWholeResponse() throws IOException {
        proxy.on("GET", "/v2/").delay(Duration.ofMillis(800));

        RawHttp.Result delayed = RawHttp.get(proxy.baseUri(), "/v2/");

        assertEquals(200, delayed.status());
        assertTrue(delayed.millis() >= 800, "took " + delayed.millis() + " ms");
    }

    @Test
    void redirectToSendsTheSamePathAndQueryToAnotherOrigin() throws IOException {
        proxy.on("GET", "/v2/.+/blobs/sha256:.+").redirectTo(URI.create("http://127.0.0.1:9/"));

        RawHttp.Result redirect = RawHttp.get(proxy.baseUri(), blobPath + "?a=b");

        assertEquals(307, redirect.status());
        assertEquals("http://127.0.0.1:9" + blobPath + "?a=b", redirect.head().get("Location").orElseThrow());
    }

    @Test
    void faultsMatchOnMethodAndTheWholePathWithoutQuery() throws IOException {
        proxy.on("HEAD", "/v2/.+/blobs/sha256:.+").respond(500, Map.of(), "");
        proxy.on("GET", "/v2/fault").respond(500, Map.of(), ""); // a prefix, not the whole path

        assertEquals(200, RawHttp.get(proxy.baseUri(), blobPath + "?x=1").status());
        assertEquals(500, RawHttp.send(proxy.baseUri(), "HEAD", blobPath + "?x=1", null).status());
        assertEquals(200, RawHttp.send(proxy.baseUri(), "HEAD", blobPath, null).status());
    }

    @Test
    void clearFaultsDisarmsEverything() throws IOException {
        proxy.on("*", "/v2/").always().respond(502, Map.of(), "");
        assertEquals(502, RawHttp.get(proxy.baseUri(), "/v2/").status());
        assertEquals(502, RawHttp.get(proxy.baseUri(), "/v2/").status());

        proxy.clearFaults();

        assertEquals(200, RawHttp.get(proxy.baseUri(), "/v2/").status());
    }

    @Test
    void aStoppedUpstreamGivesBadGateway() throws IOException {
        registry.stop();

        RawHttp.Result down = RawHttp.get(proxy.baseUri(), "/v2/");

        assertEquals(502, down.status());
        assertEquals(502, proxy.requests().get(0).status());
    }

    @Test
    void aChunkedUploadPassesThrough() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> start = http.send(HttpRequest.newBuilder(proxy.baseUri().resolve("/v2/fault/chunked/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        String location = start.headers().firstValue("Location").orElseThrow();

        // No length: the JDK client sends Transfer-Encoding: chunked.
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(location + "&digest=" + MiniRegistryClient.digest(blob)))
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(blob))).build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(201, put.statusCode(), put.body());
    }

    @Test
    void requestsRecordTheAuthorizationSentButNeverShowItsValue() throws IOException {
        try (RegistryServer secured = RegistryServer.builder().basicAuth("alice", "pw").start();
             FaultProxy securedProxy = FaultProxy.start(secured.baseUri())) {
            assertEquals(401, RawHttp.send(securedProxy.baseUri(), "GET", "/v2/", null).status());
            assertEquals(200, RawHttp.send(securedProxy.baseUri(), "GET", "/v2/", basic("alice", "pw")).status());

            assertEquals(List.of(new RecordedRequest("GET", "/v2/", null, 401), new RecordedRequest("GET", "/v2/", basic("alice", "pw"), 200)),
                    securedProxy.requests());
            assertFalse(securedProxy.requests().get(1).toString().contains(basic("alice", "pw").substring(6)));
        }
    }

    @Test
    void aTlsProxyServesHttpsWithTheTestCertificate() throws IOException, InterruptedException {
        TestCertificates certificates = TestCertificates.create(TempDirs.create("tls-proxy"));
        try (RegistryServer plain = RegistryServer.start();
             FaultProxy tlsProxy = FaultProxy.startTls(plain.baseUri(), null, certificates.serverContext())) {
            java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder().sslContext(certificates.trustingContext()).build();
            java.net.http.HttpResponse<String> answer = client.send(java.net.http.HttpRequest.newBuilder(tlsProxy.baseUri().resolve("/v2/")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, answer.statusCode());
            assertTrue(tlsProxy.baseUri().toString().startsWith("https://127.0.0.1:"));
        }
    }

    @Test
    void anHttpsUpstreamIsProxiedAsPlainHttp() throws IOException {
        try (RegistryServer tls = RegistryServer.builder().tls().start();
             FaultProxy tlsProxy = FaultProxy.start(tls.baseUri(), tls.certificates().orElseThrow().trustingContext())) {
            MiniRegistryClient client = MiniRegistryClient.plain(tlsProxy.baseUri());
            byte[] manifest = client.pushSmallImage("fault/tls", "v1");
            assertArrayEquals(manifest, client.getManifest("fault/tls", "v1").body());
        }
    }

    @Test
    void aByteFlippedInAnUploadedBodyReachesTheRegistryWhichRejectsTheDigest() throws IOException {
        byte[] content = new byte[50_000];
        new Random(7).nextBytes(content);
        proxy.on("PUT", "/v2/fault/up/blobs/uploads/.+").inRequestBody().flipByteAt(1000);

        HttpResponse<String> put = MiniRegistryClient.plain(proxy.baseUri()).pushBlob("fault/up", content);

        assertEquals(400, put.statusCode(), put.body());
        assertTrue(put.body().contains("DIGEST_INVALID"), put.body());
    }

    @Test
    void anUploadResetMidBodyCutsTheClientOffAndIsRecordedWithoutAStatus() throws Exception {
        byte[] content = new byte[500_000];
        new Random(8).nextBytes(content);
        proxy.on("PUT", "/v2/fault/cut/blobs/uploads/.+").inRequestBody().resetAfterBodyBytes(100_000);

        assertThrows(IOException.class, () -> MiniRegistryClient.plain(proxy.baseUri()).pushBlob("fault/cut", content));

        // The proxy records the cut request once its own side of the reset is done, which may be just after
        // the client has seen it.
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (proxy.requests().stream().noneMatch(r -> r.method().equals("PUT")) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(proxy.requests().stream().anyMatch(r -> r.method().equals("PUT") && r.status() == 0), proxy.requests().toString());
        assertEquals(404, RawHttp.get(registry.baseUri(), "/v2/fault/cut/blobs/" + MiniRegistryClient.digest(content)).status());
    }
}
