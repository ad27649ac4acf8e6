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
 * What {@link RegistryEndpointCaller} does around every request, against the real registry behind a
 * {@link FaultProxy} on a real socket: the retry budget of a server error that does not go away, a
 * response cut mid-body or late asked for again, the registry's error codes kept on the exception, and
 * a 503's {@code Retry-After} honoured. {@link FaultInjectionTest} has the 429s, the first 5xx retries,
 * the 4xx that are final and the refused connection; this class fills what it leaves out.
 */
class RegistryEndpointCallerTest {

    /** Attempts per request in {@link #target}: the budget the assertions count against. */
    static final int ATTEMPTS = 4;

    static RegistryServer registry;
    static FaultProxy proxy;
    @TempDir
    static Path folder;
    static TestImage image;
    static ImageReference viaProxy;
    final List<Duration> waits = new CopyOnWriteArrayList<>();
    final Sleeper recordingSleeper = waits::add;

    @BeforeAll
    static void start() throws Exception {
        registry = RegistryServer.start();
        proxy = FaultProxy.start(registry.baseUri());
        image = TestImage.multiArch(folder, 1000, 7);
        try (RegistryTarget target = new RegistryTarget(Settings.of(List.of(Settings.plain(registry.hostPort()))))) {
            image.push(target, ImageReference.parse(registry.hostPort() + "/caller/app:1"));
        }
        viaProxy = ImageReference.parse(proxy.hostPort() + "/caller/app:1");
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
                .withLimits(new RetryLimits(base.limits().connectTimeout(), readTimeout, ATTEMPTS, Duration.ofSeconds(60))).withMachine(new MachineConfig(base.machine().environment(), null)), RegistryTarget.Options.defaults().withSleeper(recordingSleeper));
    }

    List<RecordedRequest> since(int from, String method, String pathPart) {
        List<RecordedRequest> all = proxy.requests();
        return all.subList(from, all.size()).stream().filter(r -> r.method().equals(method) && r.path().contains(pathPart)).toList();
    }

    @Test
    void aServerErrorThatPersistsEndsAfterTheBudgetNamingTheRegistryTheImageAndTheRegistrysCode() {
        int before = proxy.requests().size();
        proxy.on("GET", ".*/manifests/.*").always()
                .respond(503, Map.of(), "{\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":\"back soon\"}]}");
        try (RegistryTarget target = target(Duration.ofSeconds(20))) {
            RegistryException e = assertThrows(RegistryException.class, () -> target.fetchManifest(viaProxy, image.index.digest()));
            assertEquals(503, e.status());
            assertEquals(List.of("UNAVAILABLE"), e.codes(), "the registry's code is kept for callers to decide on");
            assertTrue(e.getMessage().contains("registry " + proxy.hostPort()), e.getMessage());
            assertTrue(e.getMessage().contains("caller/app@" + image.index.digest()), e.getMessage());
            assertTrue(e.getMessage().contains("UNAVAILABLE: back soon") && e.getMessage().contains("try again later"), e.getMessage());
        }
        assertEquals(ATTEMPTS, since(before, "GET", "/manifests/").size(), "every attempt of the budget and no more");
        assertEquals(ATTEMPTS - 1, waits.size(), "a wait between attempts, none after the last");
    }

    @Test
    void aServerErrorThatPassesIsRetriedAfterTheRetryAfterItAskedFor() throws Exception {
        proxy.on("GET", ".*/manifests/.*").times(1).respond(503, Map.of("Retry-After", "7"), "");
        try (RegistryTarget target = target(Duration.ofSeconds(20))) {
            assertArrayEquals(image.index.bytes(), target.fetchManifest(viaProxy, image.index.digest()).bytes());
        }
        assertEquals(List.of(Duration.ofSeconds(7)), waits);
    }

    @Test
    void aResponseCutMidBodyIsAskedForAgainAndTheManifestArrivesWhole() throws Exception {
        int before = proxy.requests().size();
        proxy.on("GET", ".*/manifests/.*").times(1).resetAfterBodyBytes(40);
        try (RegistryTarget target = target(Duration.ofSeconds(20))) {
            assertArrayEquals(image.index.bytes(), target.fetchManifest(viaProxy, image.index.digest()).bytes());
        }
        assertEquals(2, since(before, "GET", "/manifests/").size());
        assertEquals(1, waits.size());
    }

    @Test
    void aRegistryThatAnswersLaterThanTheReadTimeoutIsAskedAgain() throws Exception {
        int before = proxy.requests().size();
        proxy.on("HEAD", ".*/manifests/.*").times(1).delay(Duration.ofSeconds(4));
        try (RegistryTarget target = target(Duration.ofSeconds(1))) {
            assertEquals(image.index.digest(), target.resolve(viaProxy).orElseThrow().digest());
        }
        assertTrue(since(before, "HEAD", "/manifests/").size() >= 1, proxy.requests().toString());
        assertEquals(1, waits.size(), "one timed-out attempt, then the answer");
    }

    @Test
    void aRequestFailingOnlyWithClientErrorsIsSentOnce() {
        int before = proxy.requests().size();
        proxy.on("HEAD", ".*/blobs/.*").always().respond(403, Map.of(), "");
        try (RegistryTarget target = target(Duration.ofSeconds(20))) {
            TestImage.Blob blob = image.blobs().get(0);
            RegistryException.Denied e = assertThrows(RegistryException.Denied.class, () -> target.hasBlob(viaProxy, blob.descriptor()));
            assertTrue(e.getMessage().contains(proxy.hostPort()) && e.getMessage().contains("caller/app"), e.getMessage());
        }
        assertEquals(1, since(before, "HEAD", "/blobs/").size());
        assertTrue(waits.isEmpty());
    }
}
