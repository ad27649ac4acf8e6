package dev.stevedore.image.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.engine.testkit.ModuleRun;
import dev.stevedore.engine.testkit.ModuleTestKit;
import dev.stevedore.image.ImageModule;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.registry.RegistryAuth;
import dev.stevedore.image.registry.MachineConfig;
import dev.stevedore.image.registry.RegistrySettings;
import dev.stevedore.image.registry.RetryLimits;
import dev.stevedore.image.registry.RegistryTarget;
import dev.stevedore.testsupport.FaultProxy;
import dev.stevedore.testsupport.RegistryServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The copier's blob bookkeeping ({@code copy.BlobTransfers}) on real sockets: three images that share a
 * layer are copied from the real registry into another registry (the same registry behind a
 * {@link FaultProxy}, which records what reaches it), two of them into one repository. The shared layer
 * crosses the wire once per destination: uploaded into the first repository that needs it, skipped by the
 * other image of that repository, mounted into the second repository. When its upload fails, the image
 * waiting for it in the same repository fails with that reason without sending it again, and the other
 * repository uploads it itself. {@code ImageModuleTest} proves the same bookkeeping on in-memory targets.
 */
class SharedBlobTransfersTest {

    static final String LAYER_PATH = ".*/blobs/uploads/.*";

    static RegistryServer registry;
    @TempDir
    static Path work;
    static SeedImages.Blob shared;

    @BeforeAll
    static void seed() throws Exception {
        registry = RegistryServer.start();
        shared = SeedImages.random(work, SeedImages.LAYER, 300_000, 1);
        int seed = 2;
        for (String image : List.of("transfer/a:1", "transfer/a:2", "transfer/c:1")) {
            String[] parts = image.split(":");
            SeedImages.Blob own = SeedImages.random(work, SeedImages.LAYER, 3_000 + seed, seed);
            SeedImages.push(SeedImages.single(work, parts[0], parts[1], List.of(shared, own), seed), registry.hostPort(), null, null);
            seed++;
        }
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    /** Copies the three images into {@code <dest>/<namespace>/transfer/...}, a namespace of the test's own. */
    static ModuleRun copy(FaultProxy dest, String namespace, int concurrency) {
        return ModuleTestKit.of(new ImageModule(new FastRetryTargets()))
                .withVariables(Map.of("src", registry.hostPort(), "dest", dest.hostPort() + "/" + namespace))
                .runYaml("""
                        manifests: ["${src}/transfer/a:1", "${src}/transfer/a:2", "${src}/transfer/c:1"]
                        src: "oci://${module.image.reference.registry}/${module.image.reference.repository}:${module.image.reference.reference}"
                        dest: "oci://${dest}/${module.image.reference.repository}:${module.image.reference.reference}"
                        auths: [{registry: "${src}", plain_http: true}, {registry: "%s", plain_http: true}]
                        concurrency: %d
                        """.formatted(dest.hostPort(), concurrency));
    }

    static long count(FaultProxy proxy, String namespace, String method, String repository, int status) {
        return proxy.requests().stream().filter(r -> r.method().equals(method) && r.status() == status
                && r.path().startsWith("/v2/" + namespace + "/transfer/" + repository + "/blobs/uploads/")).count();
    }

    static boolean has(FaultProxy proxy, String namespace, String repository, SeedImages.Blob blob) throws Exception {
        RegistrySettings settings = RegistrySettings.defaults(List.of(RegistryAuth.of(proxy.hostPort()).withPlainHttp(true)))
                .withLimits(new RetryLimits(Duration.ofSeconds(5), Duration.ofSeconds(20), 1, Duration.ofSeconds(1))).withMachine(new MachineConfig(Map.of("HOME", "/nonexistent"), null));
        try (RegistryTarget target = new RegistryTarget(settings)) {
            return target.hasBlob(ImageReference.parse(proxy.hostPort() + "/" + namespace + "/transfer/" + repository + ":1"), blob.descriptor());
        }
    }

    @Test
    void aLayerSharedByThreeImagesCrossesTheWireOncePerDestinationRepositoryAndIsMountedIntoTheSecond() throws Exception {
        try (FaultProxy dest = FaultProxy.start(registry.baseUri())) {
            ModuleRun run = copy(dest, "shared", 8);

            assertEquals("success", run.result().stdout(), run.result().error());
            assertEquals(3L, run.registered().get("images_copied"));
            // Seven distinct blobs: the shared layer and each image's config and own layer.
            assertEquals(7, count(dest, "shared", "PUT", "a", 201) + count(dest, "shared", "PUT", "c", 201), dest.requests().toString());
            assertEquals(5, count(dest, "shared", "PUT", "a", 201) + count(dest, "shared", "POST", "a", 201), "repository a holds five distinct blobs");
            assertEquals(1, count(dest, "shared", "POST", "a", 201) + count(dest, "shared", "POST", "c", 201), "one mount: " + dest.requests());
            assertEquals(7L, run.registered().get("blobs_copied"));
            assertEquals(1L, run.registered().get("blobs_skipped"), "the second image of repository a waited for the first");
            assertEquals(1L, run.registered().get("blobs_mounted"));
            assertTrue(has(dest, "shared", "a", shared) && has(dest, "shared", "c", shared));
        }
    }

    @Test
    void whenTheSharedLayersUploadFailsTheImageWaitingForItFailsWithoutSendingItAgainAndTheOtherRepositoryUploadsIt() throws Exception {
        try (FaultProxy dest = FaultProxy.start(registry.baseUri())) {
            // Only the shared layer is larger than 100 kB; the registry's answer is final (no retry).
            dest.on("PUT", "/v2/failing/transfer/a" + LAYER_PATH).always().whenRequestBodyOver(100_000)
                    .respond(400, Map.of("Content-Type", "application/json"), "{\"errors\":[{\"code\":\"UNSUPPORTED\",\"message\":\"refused\"}]}");
            // One worker: the images start in order, so repository a's first image owns the layer.
            ModuleRun run = copy(dest, "failing", 1);

            assertEquals("failed", run.result().stdout());
            assertEquals(1L, run.registered().get("images_copied"), run.result().error());
            assertEquals(2L, run.registered().get("images_failed"), run.result().error());
            String error = run.result().error();
            assertTrue(error.contains("transfer/a:1") && error.contains("transfer/a:2") && !error.contains("transfer/c:1"), error);
            assertEquals(2, error.split("UNSUPPORTED: refused", -1).length - 1, "both images of repository a give the reason: " + error);
            assertEquals(1, count(dest, "failing", "PUT", "a", 400), "the layer was sent once into repository a: " + dest.requests());
            assertFalse(has(dest, "failing", "a", shared));
            assertTrue(has(dest, "failing", "c", shared), "repository c uploaded the layer itself");
            assertEquals(0, count(dest, "failing", "POST", "c", 201), "nothing to mount from");
        }
    }
}
