package dev.stevedore.image.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.image.error.ContentMismatch;
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

/**
 * How {@link BlobUploader} starts an upload over, against the real registry behind a {@link FaultProxy}:
 * a session whose PUT keeps failing is started anew up to the retry budget and no further (the caller
 * does not retry the PUT inside it, so attempts do not multiply); content read from a stream is sent
 * once; content the registry says does not match its digest is final; a 401 inside a session (an expired token) gets one new session; {@code BLOB_UPLOAD_INVALID} for a
 * whole blob switches to chunks; a 429's {@code Retry-After} is waited before the new session.
 * {@link FaultInjectionTest} has the single failed PUT and PATCH and the stalled body,
 * {@link UploadStrategyTest} the 413s.
 */
class BlobUploaderTest {

    static final int ATTEMPTS = 4;

    static RegistryServer registry;
    static FaultProxy proxy;
    @TempDir
    static Path folder;
    static TestImage.Blob blob;
    final List<Duration> waits = new CopyOnWriteArrayList<>();
    final Sleeper recordingSleeper = waits::add;
    final List<String> chunkWarnings = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        registry = RegistryServer.start();
        proxy = FaultProxy.start(registry.baseUri());
        blob = TestImage.writeLarge(folder, 300_000, 11);
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

    RegistryTarget target() {
        RegistrySettings base = Settings.of(List.of(Settings.plain(proxy.hostPort())));
        RegistryEvents events = new RegistryEvents() {
            @Override
            public void uploadsChunked(String host, String reason, long chunkSize) {
                chunkWarnings.add(reason + " " + chunkSize);
            }
        };
        return new RegistryTarget(RegistrySettings.defaults(base.auths())
                .withLimits(new RetryLimits(base.limits().connectTimeout(), base.limits().readTimeout(), ATTEMPTS, Duration.ofSeconds(60))).withMachine(new MachineConfig(base.machine().environment(), null)).withEvents(events),
                RegistryTarget.Options.defaults().withSleeper(recordingSleeper));
    }

    static ImageReference image(String repository) {
        return ImageReference.parse(proxy.hostPort() + "/uploader/" + repository + ":1");
    }

    long since(int from, String method, int status) {
        List<RecordedRequest> all = proxy.requests();
        return all.subList(from, all.size()).stream()
                .filter(r -> r.method().equals(method) && r.path().contains("/blobs/uploads/") && r.status() == status).count();
    }

    @Test
    void aSessionWhosePutKeepsFailingIsStartedAnewUpToTheBudgetThenFailsNamingBlobImageAndRegistry() throws Exception {
        int before = proxy.requests().size();
        proxy.on("PUT", ".*/blobs/uploads/.*").always().respond(500, Map.of(), "");
        ImageReference target = image("failing");
        try (RegistryTarget client = target()) {
            RegistryException e = assertThrows(RegistryException.class, () -> client.uploadBlob(target, blob.descriptor(), blob.file()));
            assertEquals(500, e.status());
            assertTrue(e.getMessage().contains("push blob " + blob.descriptor().digest() + " to " + proxy.hostPort() + "/uploader/failing"
                    + " on registry " + proxy.hostPort()), e.getMessage());
            proxy.clearFaults();
            assertFalse(client.hasBlob(target, blob.descriptor()), "nothing stands in the repository");
        }
        assertEquals(ATTEMPTS, since(before, "POST", 202), "one session per attempt of the budget");
        assertEquals(ATTEMPTS, since(before, "PUT", 500), "each session's PUT sent once");
        assertEquals(ATTEMPTS - 1, waits.size());
    }

    /**
     * The caller's retries of a session's POST and the uploader's new sessions draw from one budget: every
     * failed request of the upload counts once, so attempts add up instead of multiplying.
     */
    @Test
    void theCallersRetriesAndTheNewSessionsSpendOneBudget() throws Exception {
        int before = proxy.requests().size();
        proxy.on("POST", ".*/blobs/uploads/.*").times(2).respond(503, Map.of(), "");
        proxy.on("PUT", ".*/blobs/uploads/.*").always().respond(500, Map.of(), "");
        ImageReference target = image("flaky");
        try (RegistryTarget client = target()) {
            RegistryException e = assertThrows(RegistryException.class, () -> client.uploadBlob(target, blob.descriptor(), blob.file()));
            assertEquals(500, e.status());
        }
        long failedPosts = since(before, "POST", 503);
        long failedPuts = since(before, "PUT", 500);
        assertEquals(2, failedPosts);
        assertEquals(ATTEMPTS, failedPosts + failedPuts, "one budget of " + ATTEMPTS + " attempts for the whole upload");
    }

    @Test
    void contentFromAStreamIsSentInOneSessionOnly() throws Exception {
        int before = proxy.requests().size();
        proxy.on("PUT", ".*/blobs/uploads/.*").times(1).respond(500, Map.of(), "");
        ImageReference target = image("streamed");
        try (RegistryTarget client = target(); InputStream content = Files.newInputStream(blob.file())) {
            RegistryException e = assertThrows(RegistryException.class, () -> client.writeBlob(target, blob.descriptor(), content));
            assertEquals(500, e.status());
        }
        assertEquals(1, since(before, "POST", 202), "a stream cannot be read again");
        assertTrue(waits.isEmpty());
    }

    @Test
    void aRefusalOfTheCredentialsInsideASessionGetsOneNewSessionAndOnlyOne() throws Exception {
        ImageReference renewed = image("renewed");
        int before = proxy.requests().size();
        proxy.on("PUT", ".*/blobs/uploads/.*").times(1).respond(401, Map.of(), "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}");
        try (RegistryTarget client = target()) {
            client.uploadBlob(renewed, blob.descriptor(), blob.file());
            assertTrue(client.hasBlob(renewed, blob.descriptor()));
        }
        assertEquals(2, since(before, "POST", 202));

        ImageReference refused = image("refused");
        before = proxy.requests().size();
        proxy.on("PUT", ".*/blobs/uploads/.*").always().respond(401, Map.of(), "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}");
        try (RegistryTarget client = target()) {
            assertThrows(RegistryException.Unauthorized.class, () -> client.uploadBlob(refused, blob.descriptor(), blob.file()));
        }
        assertEquals(2, since(before, "POST", 202), "a second refusal is the answer");
        assertTrue(waits.isEmpty(), "a refusal is not waited out");
    }

    @Test
    void blobUploadInvalidForAWholeBlobSwitchesTheRegistryToChunks() throws Exception {
        int before = proxy.requests().size();
        proxy.on("PUT", ".*/blobs/uploads/.*").times(1).whenRequestBodyOver(0)
                .respond(400, Map.of("Content-Type", "application/json"), "{\"errors\":[{\"code\":\"BLOB_UPLOAD_INVALID\"}]}");
        ImageReference target = image("invalid-whole");
        try (RegistryTarget client = target()) {
            client.uploadBlob(target, blob.descriptor(), blob.file());
            assertTrue(client.hasBlob(target, blob.descriptor()));
        }
        assertEquals(List.of("BLOB_UPLOAD_INVALID " + UploadStrategy.FALLBACK_CHUNK), chunkWarnings);
        assertEquals(2, since(before, "POST", 202));
        assertEquals(1, since(before, "PATCH", 202), "the 300 kB blob in one chunk of the fallback size");
        assertTrue(waits.isEmpty(), "a change of strategy is not a retry");
    }

    @Test
    void aRateLimitedPutWaitsTheRetryAfterBeforeTheNewSession() throws Exception {
        int before = proxy.requests().size();
        proxy.on("PUT", ".*/blobs/uploads/.*").times(1).respond(429, Map.of("Retry-After", "6"), "");
        ImageReference target = image("limited");
        try (RegistryTarget client = target()) {
            client.uploadBlob(target, blob.descriptor(), blob.file());
            assertTrue(client.hasBlob(target, blob.descriptor()));
        }
        assertEquals(List.of(Duration.ofSeconds(6)), waits);
        assertEquals(2, since(before, "POST", 202));
    }

    @Test
    void contentTheRegistryFindsDamagedIsAMismatchAndNoNewSessionIsTried() throws Exception {
        int before = proxy.requests().size();
        proxy.on("PUT", ".*/blobs/uploads/.*").always()
                .respond(400, Map.of("Content-Type", "application/json"), "{\"errors\":[{\"code\":\"DIGEST_INVALID\"}]}");
        ImageReference target = image("damaged");
        try (RegistryTarget client = target()) {
            RegistryException.DigestMismatch e = assertThrows(RegistryException.DigestMismatch.class,
                    () -> client.uploadBlob(target, blob.descriptor(), blob.file()));
            assertInstanceOf(ContentMismatch.class, e);
            assertTrue(e.getMessage().contains("DIGEST_INVALID") && e.getMessage().contains("run the task again"), e.getMessage());
        }
        assertEquals(1, since(before, "POST", 202), "the same bytes would fail the same way");
        assertTrue(waits.isEmpty());
    }
}
