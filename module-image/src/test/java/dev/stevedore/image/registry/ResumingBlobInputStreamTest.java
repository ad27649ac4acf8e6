package dev.stevedore.image.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.image.error.ContentMismatch;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.store.DigestMismatchException;
import dev.stevedore.image.store.OciLayoutStore;
import dev.stevedore.testsupport.FaultProxy;
import dev.stevedore.testsupport.RecordedRequest;
import dev.stevedore.testsupport.RegistryServer;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How {@link ResumingBlobInputStream} continues a blob whose body is cut, against the real registry behind
 * a {@link FaultProxy}: each resumption asks with {@code Range} from where the last one stopped, as many
 * times as the budget allows and no more, and the failure then names the blob, the image and the registry;
 * a byte damaged in a resumed part is caught by whoever hashes the stream (a store), and nothing stands
 * under the blob's name. {@link FaultInjectionTest} has a single cut, truncation and stall.
 */
class ResumingBlobInputStreamTest {

    /** The retry budget, which is also the number of resumptions a blob gets. */
    static final int ATTEMPTS = 4;
    static final int SIZE = 2_000_000;

    static RegistryServer registry;
    static FaultProxy proxy;
    @TempDir
    static Path folder;
    static TestImage.Blob blob;
    static ImageReference viaProxy;

    @BeforeAll
    static void start() throws Exception {
        registry = RegistryServer.start();
        proxy = FaultProxy.start(registry.baseUri());
        blob = TestImage.writeLarge(folder, SIZE, 23);
        try (RegistryTarget target = new RegistryTarget(Settings.of(List.of(Settings.plain(registry.hostPort()))))) {
            target.uploadBlob(ImageReference.parse(registry.hostPort() + "/resuming/app:1"), blob.descriptor(), blob.file());
        }
        viaProxy = ImageReference.parse(proxy.hostPort() + "/resuming/app:1");
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

    static RegistryTarget target() {
        RegistrySettings base = Settings.of(List.of(Settings.plain(proxy.hostPort())));
        return new RegistryTarget(RegistrySettings.defaults(base.auths())
                .withLimits(new RetryLimits(base.limits().connectTimeout(), base.limits().readTimeout(), ATTEMPTS, Duration.ofSeconds(60))).withMachine(new MachineConfig(base.machine().environment(), null)), RegistryTarget.Options.defaults().withSleeper(wait -> { }));
    }

    static List<RecordedRequest> blobGets(int from) {
        List<RecordedRequest> all = proxy.requests();
        return all.subList(from, all.size()).stream().filter(r -> r.method().equals("GET") && r.path().contains("/blobs/")).toList();
    }

    static String blobPath() {
        return ".*/blobs/" + blob.descriptor().digest();
    }

    @Test
    void everyCutIsResumedFromWhereTheLastPartStoppedWhileTheBudgetLasts() throws Exception {
        int before = proxy.requests().size();
        // 450 kB a response: the blob needs five of them, the first and four resumptions, the whole budget.
        proxy.on("GET", blobPath()).always().truncateBodyAfter(450_000);
        try (RegistryTarget target = target(); InputStream in = target.openBlob(viaProxy, blob.descriptor())) {
            assertEquals(blob.descriptor().digest(), TestImage.sha256(in), "every part continued at the right byte");
        }
        List<RecordedRequest> gets = blobGets(before);
        assertEquals(List.of(200, 206, 206, 206, 206), gets.stream().map(RecordedRequest::status).toList(), gets.toString());
    }

    @Test
    void cutsBeyondTheBudgetFailNamingTheBlobTheImageAndTheRegistry() throws Exception {
        int before = proxy.requests().size();
        // 300 kB a response: seven would be needed.
        proxy.on("GET", blobPath()).always().truncateBodyAfter(300_000);
        try (RegistryTarget target = target(); InputStream in = target.openBlob(viaProxy, blob.descriptor())) {
            RegistryException.ConnectionFailed e = assertThrows(RegistryException.ConnectionFailed.class, () -> in.transferTo(
                    java.io.OutputStream.nullOutputStream()));
            assertTrue(e.getMessage().contains("pull blob " + blob.descriptor().digest() + " of " + proxy.hostPort() + "/resuming/app"
                    + " from registry " + proxy.hostPort()), e.getMessage());
            assertTrue(e.getMessage().contains("gave up after " + ATTEMPTS + " resumed attempts"), e.getMessage());
        }
        assertEquals(1 + ATTEMPTS, blobGets(before).size(), "the first request and one per resumption");
    }

    @Test
    void aByteDamagedInAResumedPartIsCaughtByTheStoreAndNothingIsStoredUnderTheBlobsName() throws Exception {
        int before = proxy.requests().size();
        proxy.on("GET", blobPath()).times(1).truncateBodyAfter(700_000);
        proxy.on("GET", blobPath()).times(1).flipByteAt(1000);
        Path layout = folder.resolve("layout");
        OciLayoutStore store = OciLayoutStore.open(layout);
        ImageReference stored = ImageReference.parse("resuming/app:1");
        try (RegistryTarget target = target(); InputStream in = target.openBlob(viaProxy, blob.descriptor())) {
            DigestMismatchException e = assertThrows(DigestMismatchException.class, () -> store.writeBlob(stored, blob.descriptor(), in));
            assertEquals(blob.descriptor().digest(), e.expected());
            assertNotEquals(blob.descriptor().digest(), e.actual());
            assertInstanceOf(ContentMismatch.class, e);
        }
        assertEquals(List.of(200, 206), blobGets(before).stream().map(RecordedRequest::status).toList(), "the damage was in the resumed part");
        assertFalse(store.hasBlob(stored, blob.descriptor()));
        assertFalse(Files.exists(layout.resolve("blobs/sha256/" + blob.descriptor().digest().hex())));
    }
}
