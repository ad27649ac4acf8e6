package dev.stevedore.image.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.image.oci.Manifest;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.testsupport.FaultProxy;
import dev.stevedore.testsupport.RecordedRequest;
import dev.stevedore.testsupport.RegistryServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pull plans each image with one GET of its manifest, not a HEAD and then a GET (BENCHMARKS.md). */
class ManifestInOneRequestTest {

    static RegistryServer registry;
    static FaultProxy proxy;
    static TestImage image;
    @TempDir
    static Path folder;

    @BeforeAll
    static void start() throws Exception {
        registry = RegistryServer.start();
        proxy = FaultProxy.start(registry.baseUri());
        image = TestImage.multiArch(folder, 100);
        try (RegistryTarget target = new RegistryTarget(Settings.of(List.of(Settings.plain(registry.hostPort()))))) {
            image.push(target, ImageReference.parse(registry.hostPort() + "/one/app:1"));
        }
    }

    @AfterAll
    static void stop() {
        proxy.close();
        registry.close();
    }

    @Test
    void aTagIsFetchedWithOneGetAndVerified() throws Exception {
        try (RegistryTarget target = new RegistryTarget(Settings.of(List.of(Settings.plain(proxy.hostPort()))))) {
            int before = proxy.requests().size();
            Optional<Manifest> found = target.fetchManifest(ImageReference.parse(proxy.hostPort() + "/one/app:1"));

            assertTrue(found.isPresent());
            assertArrayEquals(image.index.bytes(), found.get().bytes());
            assertEquals(image.index.digest(), found.get().digest());
            List<RecordedRequest> sent = proxy.requests().subList(before, proxy.requests().size());
            assertEquals(List.of("GET /v2/one/app/manifests/1"),
                    sent.stream().filter(r -> r.path().contains("/manifests/")).map(r -> r.method() + " " + r.path()).toList());
        }
    }

    @Test
    void anUnknownTagOrRepositoryIsEmpty() throws Exception {
        try (RegistryTarget target = new RegistryTarget(Settings.of(List.of(Settings.plain(proxy.hostPort()))))) {
            assertTrue(target.fetchManifest(ImageReference.parse(proxy.hostPort() + "/one/app:missing")).isEmpty());
            assertTrue(target.fetchManifest(ImageReference.parse(proxy.hostPort() + "/nowhere/app:1")).isEmpty());
        }
    }

    @Test
    void aDigestReferenceIsVerifiedAgainstItsDigest() throws Exception {
        try (RegistryTarget target = new RegistryTarget(Settings.of(List.of(Settings.plain(proxy.hostPort()))))) {
            Optional<Manifest> found = target.fetchManifest(
                    ImageReference.parse(proxy.hostPort() + "/one/app@" + image.index.digest()));
            assertEquals(image.index.digest(), found.orElseThrow().digest());
        }
    }
}
