package dev.stevedore.image.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.registry.http.Sleeper;
import dev.stevedore.testsupport.FaultProxy;
import dev.stevedore.testsupport.RecordedRequest;
import dev.stevedore.testsupport.RegistryServer;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client against faults scripted on a real socket in front of the real registry. */
class FaultInjectionTest {

    static RegistryServer registry;
    static FaultProxy proxy;
    @TempDir
    static Path folder;
    static TestImage.Blob blob;
    static TestImage image;
    static ImageReference viaProxy;
    final List<Duration> waits = new CopyOnWriteArrayList<>();
    final Sleeper recordingSleeper = waits::add;

    @BeforeAll
    static void start() throws Exception {
        registry = RegistryServer.start();
        proxy = FaultProxy.start(registry.baseUri());
        Path blobs = Files.createDirectory(folder.resolve("blobs"));
        image = TestImage.multiArch(blobs, 1000);
        blob = TestImage.writeLarge(blobs, 2_000_000, 5);
        ImageReference direct = ImageReference.parse(registry.hostPort() + "/faults/app:1");
        try (RegistryTarget target = new RegistryTarget(Settings.of(List.of(Settings.plain(registry.hostPort()))))) {
            image.push(target, direct);
            target.uploadBlob(direct, blob.descriptor(), blob.file());
        }
        viaProxy = ImageReference.parse(proxy.hostPort() + "/faults/app:1");
    }

    @AfterAll
    static void stop() {
        proxy.close();
        registry.close();
    }

    @AfterEach
    void clearFaults() {
        proxy.clearFaults();
    }

    RegistryTarget target(Duration readTimeout) {
        RegistrySettings base = Settings.of(List.of(Settings.plain(proxy.hostPort())));
        return new RegistryTarget(RegistrySettings.defaults(base.auths())
                .withLimits(new RetryLimits(base.limits().connectTimeout(), readTimeout, 4, Duration.ofSeconds(30)))
                .withMachine(new MachineConfig(base.machine().environment(), null)), RegistryTarget.Options.defaults().withSleeper(recordingSleeper));
    }

    RegistryTarget target() {
        return target(Duration.ofSeconds(20));
    }

    int countSince(int from, String method, String pathPart, int status) {
        List<RecordedRequest> all = proxy.requests();
        return (int) all.subList(from, all.size()).stream()
                .filter(r -> r.method().equals(method) && r.path().contains(pathPart) && (status == 0 || r.status() == status)).count();
    }

    @Test
    void aDownloadCutMidBlobResumesWithARangeRequest() throws Exception {
        int before = proxy.requests().size();
        proxy.on("GET", ".*/blobs/" + blob.descriptor().digest() + ".*").resetAfterBodyBytes(700_000);
        Path file = folder.resolve("resumed");
        target().downloadBlob(viaProxy, blob.descriptor(), file);
        assertArrayEquals(Files.readAllBytes(blob.file()), Files.readAllBytes(file));
        assertEquals(1, countSince(before, "GET", "/blobs/", 206), proxy.requests().toString());
    }

    @Test
    void anOpenedBlobStreamResumesAfterATruncatedBody() throws Exception {
        int before = proxy.requests().size();
        proxy.on("GET", ".*/blobs/" + blob.descriptor().digest() + ".*").truncateBodyAfter(1_234_567);
        try (InputStream in = target().openBlob(viaProxy, blob.descriptor())) {
            assertEquals(blob.descriptor().digest(), TestImage.sha256(in));
        }
        assertEquals(1, countSince(before, "GET", "/blobs/", 206));
    }

    @Test
    void aStalledTransferFailsAfterTheReadTimeoutAndIsResumed() throws Exception {
        proxy.on("GET", ".*/blobs/" + blob.descriptor().digest() + ".*").stallBodyAfter(100_000, Duration.ofSeconds(5));
        Path file = folder.resolve("stalled");
        long start = System.nanoTime();
        target(Duration.ofSeconds(1)).downloadBlob(viaProxy, blob.descriptor(), file);
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(4).toNanos(), "the stall was not waited out");
        assertEquals(blob.descriptor().size(), Files.size(file));
    }

    @Test
    void aCorruptedBlobIsADigestMismatch() {
        proxy.on("GET", ".*/blobs/" + blob.descriptor().digest() + ".*").flipByteAt(1000);
        RegistryException.DigestMismatch e = assertThrows(RegistryException.DigestMismatch.class,
                () -> target().downloadBlob(viaProxy, blob.descriptor(), folder.resolve("corrupt")));
        assertTrue(e.getMessage().contains(blob.descriptor().digest().toString()), e.getMessage());
    }

    @Test
    void a429IsRetriedAfterTheRetryAfterTheRegistryAsked() throws Exception {
        proxy.on("GET", ".*/manifests/.*").times(2).respond(429, Map.of("Retry-After", "3"), "{\"errors\":[{\"code\":\"TOOMANYREQUESTS\"}]}");
        assertArrayEquals(image.index.bytes(), target().fetchManifest(viaProxy, image.index.digest()).bytes());
        assertEquals(List.of(Duration.ofSeconds(3), Duration.ofSeconds(3)), waits);
    }

    @Test
    void aPersistent429EndsAsRateLimitedWithTheWait() {
        proxy.on("GET", ".*/manifests/.*").always().respond(429, Map.of("Retry-After", "2"), "");
        RegistryException.RateLimited e = assertThrows(RegistryException.RateLimited.class,
                () -> target().fetchManifest(viaProxy, image.index.digest()));
        assertEquals(Duration.ofSeconds(2), e.retryAfter());
        assertTrue(e.getMessage().contains("2 s") && e.getMessage().contains(proxy.hostPort()), e.getMessage());
        assertEquals(3, waits.size(), "4 attempts, 3 waits");
    }

    @Test
    void serverErrorsAreRetriedWithBackoff() throws Exception {
        proxy.on("HEAD", ".*/manifests/.*").times(2).respond(503, Map.of(), "");
        assertEquals(image.index.digest(), target().resolve(viaProxy).orElseThrow().digest());
        assertEquals(2, waits.size());
        assertTrue(waits.get(0).compareTo(Duration.ZERO) > 0);
    }

    @Test
    void clientErrorsAreNotRetried() {
        int before = proxy.requests().size();
        proxy.on("GET", ".*/manifests/.*").always().respond(400, Map.of(), "{\"errors\":[{\"code\":\"MANIFEST_INVALID\",\"message\":\"bad\"}]}");
        RegistryException e = assertThrows(RegistryException.class, () -> target().fetchManifest(viaProxy, image.index.digest()));
        assertTrue(e.getMessage().contains("MANIFEST_INVALID"), e.getMessage());
        assertEquals(1, countSince(before, "GET", "/manifests/", 0));
        assertTrue(waits.isEmpty());
    }

    @Test
    void aFailedUploadFromAFileIsRestartedInANewSession() throws Exception {
        int before = proxy.requests().size();
        ImageReference target = ImageReference.parse(proxy.hostPort() + "/faults/upload-retry:1");
        proxy.on("PUT", ".*/blobs/uploads/.*").respond(500, Map.of(), "");
        try (RegistryTarget client = target()) {
            client.uploadBlob(target, blob.descriptor(), blob.file());
            assertTrue(client.hasBlob(target, blob.descriptor()));
        }
        assertEquals(2, countSince(before, "POST", "/blobs/uploads/", 202), "a second upload session");
    }

    @Test
    void connectionFailuresAreRetriedThenReportedNamingTheRegistry() {
        RegistrySettings base = Settings.of(List.of(Settings.plain("127.0.0.1:1")));
        try (RegistryTarget client = new RegistryTarget(base, RegistryTarget.Options.defaults().withSleeper(recordingSleeper))) {
            RegistryException.ConnectionFailed e = assertThrows(RegistryException.ConnectionFailed.class,
                    () -> client.resolve(ImageReference.parse("127.0.0.1:1/x/y:1")));
            assertTrue(e.getMessage().contains("127.0.0.1:1"), e.getMessage());
            assertEquals(3, waits.size());
        }
    }

    @Test
    void anUploadTheConnectionStopsTakingFailsAfterTheReadTimeoutAndIsRetried() throws Exception {
        // 48 MB cannot vanish into socket buffers: the stall is seen while the body is being sent.
        TestImage.Blob large = TestImage.writeLarge(folder, 48_000_000, 9);
        int before = proxy.requests().size();
        proxy.on("PUT", ".*/blobs/uploads/.*").inRequestBody().stallBodyAfter(1_000_000, Duration.ofSeconds(30));
        long start = System.nanoTime();
        try (RegistryTarget client = target(Duration.ofSeconds(1))) {
            ImageReference target = ImageReference.parse(proxy.hostPort() + "/faults/stalled-upload:1");
            client.uploadBlob(target, large.descriptor(), large.file());
            assertTrue(client.hasBlob(target, large.descriptor()));
        } finally {
            Files.delete(large.file());
        }
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(15).toNanos(), "the stall was waited out");
        assertEquals(2, countSince(before, "POST", "/blobs/uploads/", 202), "a second upload session");
    }

    @Test
    void aChunkedUploadFromContentThatCanBeReopenedIsRestartedAfterAFailedChunk() throws Exception {
        int before = proxy.requests().size();
        ImageReference target = ImageReference.parse(proxy.hostPort() + "/faults/chunked-retry:1");
        proxy.on("PATCH", ".*/blobs/uploads/.*").respond(500, Map.of(), "");
        RegistrySettings base = Settings.of(List.of(Settings.plain(proxy.hostPort())));
        try (RegistryTarget client = new RegistryTarget(base.withChunkSize(700_000), RegistryTarget.Options.defaults().withSleeper(recordingSleeper))) {
            client.writeBlob(target, blob.descriptor(), () -> Files.newInputStream(blob.file()));
            assertTrue(client.hasBlob(target, blob.descriptor()));
        }
        assertEquals(2, countSince(before, "POST", "/blobs/uploads/", 202), "a second upload session");
        assertEquals(3, countSince(before, "PATCH", "/blobs/uploads/", 202), "all three chunks of the second session");
    }
}
