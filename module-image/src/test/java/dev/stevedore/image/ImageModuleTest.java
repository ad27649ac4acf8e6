package dev.stevedore.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.image.error.ImageException;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.testing.FakeTemplates;
import dev.stevedore.image.testing.InMemoryTarget;
import dev.stevedore.image.testing.InMemoryTargets;
import dev.stevedore.image.testing.RecordingLog;
import dev.stevedore.image.testing.TestImages;
import dev.stevedore.spi.Cancellation;
import dev.stevedore.spi.ExecOptions;
import dev.stevedore.spi.ModuleResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The module end to end over in-memory targets: what an operator sees for each kind of run. */
class ImageModuleTest {

    private static final ImageReference NGINX = ImageReference.parse("docker.io/library/nginx:1.27");
    private static final ImageReference REDIS = ImageReference.parse("docker.io/library/redis:7");
    private static final ImageReference PROM = ImageReference.parse("quay.io/prometheus/prometheus:v2.45.0");

    private final InMemoryTargets targets = new InMemoryTargets();
    private final RecordingLog log = new RecordingLog();
    private final Map<String, Object> variables = Map.of("binary_dir", "/kk");

    private final TestImages.TestImage nginx = TestImages.index(ordered(
            "linux/amd64", TestImages.single("linux/amd64", "base layer", "nginx amd64"),
            "linux/arm64", TestImages.single("linux/arm64", "base layer arm", "nginx arm64")));
    private final TestImages.TestImage redis = TestImages.single("linux/amd64", "base layer", "redis layer");
    private final TestImages.TestImage prom = TestImages.single("linux/amd64", "prom layer");

    private ModuleResult run(Map<String, Object> args) {
        return run(args, Cancellation.NEVER);
    }

    private ModuleResult run(Map<String, Object> args, Cancellation cancellation) {
        return new ImageModule(targets).execute(
                new ExecOptions(args, "localhost", variables, new FakeTemplates(), log, cancellation));
    }

    private void publish() {
        targets.registry.put(NGINX, nginx).put(REDIS, redis).put(PROM, prom);
    }

    private static Map<String, Object> pull(String dir, Object manifests, Object... more) {
        Map<String, Object> pull = map("manifests", manifests, "images_dir", dir);
        pull.putAll(map(more));
        return map("pull", pull);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> images(ModuleResult result) {
        return (List<Map<String, Object>>) result.data().get("images");
    }

    @Test
    void aPullWritesBlobsThenChildManifestsThenTheIndexThenTheTag() {
        publish();
        ModuleResult result = run(pull("/d", List.of("nginx:1.27")));
        assertEquals("success", result.stdout(), result.error());
        assertTrue(result.changed());
        List<String> events = targets.directory("/d").events();
        int lastBlob = lastIndexOf(events, "blob ");
        int firstManifest = indexOf(events, "manifest ");
        int lastManifest = lastIndexOf(events, "manifest ");
        int tag = indexOf(events, "tag ");
        assertEquals(6, targets.directory("/d").count("blob "), "two configs and four layers");
        assertTrue(lastBlob < firstManifest && lastManifest < tag, events.toString());
        assertEquals(2, targets.directory("/d").count("manifest "));
        assertEquals("tag docker.io/library/nginx:1.27 " + nginx.root().digest(), events.get(events.size() - 1));
    }

    @Test
    void theRegisteredDataDescribesEachImageWithJsonLikeValues() {
        publish();
        ModuleResult result = run(pull("/d", List.of("nginx:1.27", "quay.io/prometheus/prometheus:v2.45.0")));
        Map<String, Object> first = images(result).get(0);
        assertEquals("oci://docker.io/library/nginx:1.27", first.get("source"));
        assertEquals("local:///d#docker.io/library/nginx:1.27", first.get("destination"));
        assertEquals(nginx.root().digest().toString(), first.get("digest"));
        assertEquals("application/vnd.oci.image.index.v1+json", first.get("media_type"));
        assertEquals(List.of("linux/amd64", "linux/arm64"), first.get("platforms"));
        assertEquals(6L, first.get("blobs_copied"));
        assertEquals(0L, first.get("blobs_skipped"));
        assertEquals(0L, first.get("blobs_mounted"));
        assertEquals(nginx.blobs().values().stream().mapToLong(b -> b.length).sum(), first.get("bytes"));
        assertEquals(2L, result.data().get("images_copied"));
        assertEquals(8L, result.data().get("blobs_copied"));
        assertTrue(result.stderr().startsWith("2 images: 2 copied; blobs: 8 copied"), result.stderr());
    }

    @Test
    void aSecondRunChangesNothingAndTransfersNothing() {
        publish();
        run(pull("/d", List.of("nginx:1.27", "redis:7")));
        int before = targets.directory("/d").events().size();
        ModuleResult again = run(pull("/d", List.of("nginx:1.27", "redis:7")));
        assertEquals("success", again.stdout());
        assertFalse(again.changed());
        assertEquals(before, targets.directory("/d").events().size());
        assertEquals(2L, again.data().get("images_unchanged"));
        assertEquals(0L, again.data().get("bytes"));
    }

    @Test
    void aBlobSharedByImagesIsTransferredOncePerDestination() {
        publish();
        ModuleResult result = run(pull("/d", List.of("nginx:1.27", "redis:7"), "concurrency", 8));
        Digest base = Digest.sha256Of(TestImages.bytes("base layer"));
        assertEquals(1, targets.directory("/d").events().stream().filter(e -> e.endsWith(base.toString())).count());
        long copied = images(result).stream().mapToLong(i -> (Long) i.get("blobs_copied")).sum();
        long skipped = images(result).stream().mapToLong(i -> (Long) i.get("blobs_skipped")).sum();
        assertEquals(8, copied, "6 of nginx + 3 of redis, less the shared base layer");
        assertEquals(1, skipped);
    }

    @Test
    void blobsAlreadyPresentAreSkipped() {
        publish();
        targets.directory("/d").putBlob(REDIS, TestImages.bytes("redis layer"));
        ModuleResult result = run(pull("/d", List.of("redis:7")));
        assertEquals(1L, images(result).get(0).get("blobs_skipped"));
        assertEquals(2L, images(result).get(0).get("blobs_copied"));
        assertTrue(result.changed());
    }

    @Test
    void aPushMountsBlobsAcrossRepositoriesOfTheDestinationRegistry() {
        targets.directory("/d").put(NGINX, nginx).put(REDIS, redis);
        ModuleResult result = run(map("push", map("images_dir", "/d", "dest",
                "harbor.example.com/${module.image.src.reference.repository}:${module.image.src.reference.reference}",
                "concurrency", 1)));
        assertEquals("success", result.stdout(), result.error());
        Digest base = Digest.sha256Of(TestImages.bytes("base layer"));
        InMemoryTarget registry = targets.registry;
        assertEquals(1, registry.events().stream().filter(e -> e.startsWith("blob ") && e.endsWith(base.toString())).count());
        assertEquals(1, registry.count("mount "), registry.events().toString());
        assertEquals(1L, result.data().get("blobs_mounted"));
        assertTrue(registry.tagged("harbor.example.com/library/redis", "7").isPresent());
    }

    @Test
    void aCopyWithinOneRegistryMountsFromTheSourceRepository() {
        publish();
        ModuleResult result = run(map("manifests", List.of("redis:7"),
                "src", "oci://${module.image.reference.registry}/${module.image.reference.repository}:${module.image.reference.reference}",
                "dest", "oci://docker.io/mirror/${module.image.reference.repository}:${module.image.reference.reference}"));
        assertEquals("success", result.stdout(), result.error());
        assertEquals(3L, result.data().get("blobs_mounted"));
        assertEquals(0, targets.registry.count("blob "));
        assertEquals(3, targets.registry.count("mount docker.io/mirror/library/redis "), targets.registry.events().toString());
    }

    @Test
    void aRegistryThatCannotMountGetsAnUpload() {
        targets.directory("/d").put(NGINX, nginx).put(REDIS, redis);
        targets.registry.withoutMounts();
        ModuleResult result = run(map("push", map("images_dir", "/d", "dest", "harbor.example.com/${module.image.src.reference.repository}")));
        assertEquals("success", result.stdout(), result.error());
        Digest base = Digest.sha256Of(TestImages.bytes("base layer"));
        assertEquals(2, targets.registry.events().stream().filter(e -> e.startsWith("blob ") && e.endsWith(base.toString())).count());
        assertEquals(0L, result.data().get("blobs_mounted"));
    }

    @Test
    void pushAppliesSrcPatternAndNamespaceOverrideBeforeRenderingDest() {
        targets.directory("/d").put(NGINX, nginx).put(PROM, prom);
        ModuleResult result = run(map("push", map("images_dir", "/d", "src_pattern", "^docker.io/library/.*",
                "namespace_override", "custom-ns",
                "dest", "harbor.example.com/${module.image.src.reference.repository}:${module.image.src.reference.reference}")));
        assertEquals(1, images(result).size());
        assertEquals("oci://harbor.example.com/custom-ns/nginx:1.27", images(result).get(0).get("destination"));
        assertTrue(targets.registry.tagged("harbor.example.com/custom-ns/nginx", "1.27").isPresent());
    }

    @Test
    void anImagePulledByDigestIsStoredAndPushedByDigest() {
        publish();
        String byDigest = "nginx@" + nginx.root().digest();
        ModuleResult pulled = run(pull("/d", List.of(byDigest)));
        assertEquals("success", pulled.stdout(), pulled.error());
        assertEquals(0, targets.directory("/d").count("tag "));
        ModuleResult pushed = run(map("manifests", List.of(byDigest), "src", "local:///d",
                "dest", "oci://harbor.example.com/${module.image.reference.repository}:${module.image.reference.reference}"));
        assertEquals("success", pushed.stdout(), pushed.error());
        assertEquals("oci://harbor.example.com/library/nginx@" + nginx.root().digest(), images(pushed).get(0).get("destination"));
        assertTrue(targets.registry.manifest("harbor.example.com/library/nginx", nginx.root().digest()).isPresent());
    }

    @Test
    void oneImageFailingDoesNotStopTheOthersAndEveryFailureIsListed() {
        publish();
        Digest promLayer = Digest.sha256Of(TestImages.bytes("prom layer"));
        targets.registry.failOpening(promLayer, new ImageException("quay.io answered 500 for the blob; retry later"));
        ModuleResult result = run(pull("/d", List.of("nginx:1.27", "quay.io/prometheus/prometheus:v2.45.0", "missing:1", "redis:7")));
        assertEquals("failed", result.stdout());
        assertTrue(result.changed(), "what was copied stays copied");
        assertEquals(2L, result.data().get("images_copied"));
        assertEquals(2L, result.data().get("images_failed"));
        assertTrue(result.error().startsWith("2 of 4 images failed:"), result.error());
        assertTrue(result.error().contains("quay.io/prometheus/prometheus:v2.45.0 -> local:///d#quay.io/prometheus/prometheus:v2.45.0: blob " + promLayer
                + ": quay.io answered 500 for the blob; retry later"), result.error());
        assertTrue(result.error().contains("oci://docker.io/library/missing:1 -> local:///d#docker.io/library/missing:1: "
                + "image docker.io/library/missing:1 was not found in registry registries"), result.error());
        assertFalse(targets.directory("/d").tagged("quay.io/prometheus/prometheus", "v2.45.0").isPresent(),
                "an image whose blob failed gets no manifest or tag");
        assertTrue(targets.directory("/d").tagged("docker.io/library/redis", "7").isPresent());
    }

    @Test
    void aRefusedManifestWriteFailsOnlyThatImage() {
        targets.directory("/d").put(NGINX, nginx).put(REDIS, redis);
        targets.registry.failWritesTo("harbor.example.com/library/redis");
        ModuleResult result = run(map("push", map("images_dir", "/d", "dest", "harbor.example.com/${module.image.src.reference.repository}")));
        assertEquals("failed", result.stdout());
        assertTrue(result.error().contains("refused the push to harbor.example.com/library/redis: denied"), result.error());
        assertTrue(targets.registry.tagged("harbor.example.com/library/nginx", "latest").isPresent());
    }

    @Test
    void anInvalidRenderedDestinationFailsTheTaskBeforeAnyIo() {
        targets.directory("/d").put(NGINX, nginx);
        ModuleResult result = run(map("push", map("images_dir", "/d", "dest", "Harbor/${module.image.src.reference.repository}/UPPER")));
        assertEquals("failed", result.stdout());
        assertTrue(result.error().startsWith("image: push.dest rendered to 'oci://Harbor/namespace/image/UPPER', which is not a valid image reference"),
                result.error());
        assertTrue(result.error().endsWith("(for the sample image registry.example.com/namespace/image:tag)"), result.error());
        assertTrue(targets.registry.events().isEmpty() && targets.lastSettings == null);
    }

    @Test
    void anUndefinedVariableInDestFailsNamingTheVariable() {
        targets.directory("/d").put(NGINX, nginx);
        ModuleResult result = run(map("push", map("images_dir", "/d", "dest", "h.example.com/${registry_namespace}/x")));
        assertTrue(result.error().startsWith("image: cannot render push.dest (undefined variable 'registry_namespace')"),
                result.error());
    }

    @Test
    void invalidArgumentsFailBeforeAnyIo() {
        ModuleResult result = run(map("manifests", List.of("nginx"), "dest", "local:///d", "pattern", "(("));
        assertEquals("failed", result.stdout());
        assertTrue(result.error().startsWith("image: image.pattern is not a valid regular expression"), result.error());
        assertTrue(targets.registry.events().isEmpty() && targets.lastSettings == null);
    }

    @Test
    void nothingMatchingIsASkip() {
        targets.directory("/d").put(NGINX, nginx);
        ModuleResult result = run(map("src", "local:///d", "dest", "local:///e", "pattern", "^nothing"));
        assertEquals("skip", result.stdout());
        assertFalse(result.changed());
    }

    @Test
    void aSubsetOfPlatformsIsCopiedAsAFilteredIndex() {
        publish();
        ModuleResult result = run(pull("/d", List.of("nginx:1.27"), "platform", "linux/arm64"));
        Map<String, Object> image = images(result).get(0);
        assertEquals(List.of("linux/arm64"), image.get("platforms"));
        Digest filtered = Digest.parse((String) image.get("digest"));
        assertFalse(filtered.equals(nginx.root().digest()));
        assertEquals(filtered, targets.directory("/d").tagged("docker.io/library/nginx", "1.27").orElseThrow());
        assertEquals(3L, image.get("blobs_copied"));
        assertFalse(targets.directory("/d").hasBlob("", Digest.sha256Of(TestImages.bytes("nginx amd64"))));
    }

    @Test
    void aMissingPlatformFailsUnderStrictAndIsWarnedAboutUnderWarn() {
        publish();
        ModuleResult strict = run(pull("/d", List.of("nginx:1.27"), "platform", List.of("linux/amd64", "linux/s390x")));
        assertEquals("failed", strict.stdout());
        assertTrue(strict.error().contains("has no image for [linux/s390x] (it has [linux/amd64, linux/arm64])"), strict.error());

        ModuleResult warn = run(pull("/e", List.of("nginx:1.27"), "platform", List.of("linux/amd64", "linux/s390x"), "policy", "warn"));
        assertEquals("success", warn.stdout(), warn.error());
        assertEquals(List.of("linux/amd64"), images(warn).get(0).get("platforms"));
        assertTrue(log.warnings().stream().anyMatch(w -> w.contains("linux/s390x")), log.warnings().toString());
    }

    @Test
    void aSinglePlatformImageIsCheckedAgainstItsConfig() {
        publish();
        ModuleResult strict = run(pull("/d", List.of("redis:7"), "platform", "linux/arm64"));
        assertEquals("failed", strict.stdout());
        assertTrue(strict.error().contains("(it has [linux/amd64])"), strict.error());
        ModuleResult warn = run(pull("/d", List.of("redis:7"), "platform", "linux/arm64", "policy", "warn"));
        assertEquals("skip", warn.stdout());
        assertEquals("skipped", images(warn).get(0).get("status"));
        assertEquals("local:///d#docker.io/library/redis:7", images(warn).get(0).get("destination"));
        ModuleResult matching = run(pull("/d", List.of("redis:7"), "platform", "linux/amd64"));
        assertEquals(List.of("linux/amd64"), images(matching).get(0).get("platforms"));
    }

    @Test
    void directoryToDirectoryAndRegistryToRegistryWork() {
        publish();
        assertEquals("success", run(pull("/a", List.of("nginx:1.27"))).stdout());
        ModuleResult dirToDir = run(map("copy", map("from", map("path", "/a"), "to", map("path", "/b"))));
        assertEquals("success", dirToDir.stdout(), dirToDir.error());
        assertEquals(nginx.root().digest(), targets.directory("/b").tagged("docker.io/library/nginx", "1.27").orElseThrow());
        ModuleResult regToReg = run(map("manifests", List.of("nginx:1.27"),
                "src", "oci://${module.image.reference.registry}/${module.image.reference.repository}:${module.image.reference.reference}",
                "dest", "oci://mirror.example.com/${module.image.reference.repository}:${module.image.reference.reference}"));
        assertEquals("success", regToReg.stdout(), regToReg.error());
        assertEquals(nginx.root().digest(), targets.registry.tagged("mirror.example.com/library/nginx", "1.27").orElseThrow());
    }

    @Test
    void authsAndTlsSettingsReachTheRegistryClient() {
        publish();
        run(pull("/d", List.of("nginx:1.27"), "skip_tls_verify", true,
                "auths", List.of(map("repo", "docker.io", "username", "me", "password", "pw"))));
        assertTrue(targets.lastSettings.skipTlsVerify());
        assertEquals("me", targets.lastSettings.auths().get(0).login().username());
    }

    @Test
    void smallTransfersRunInParallelBoundedByFourTimesConcurrency() {
        Map<String, TestImages.TestImage> many = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ImageReference ref = ImageReference.parse("reg.example.com/app" + i + ":1");
            TestImages.TestImage image = TestImages.single("linux/amd64", "layer a" + i, "layer b" + i, "layer c" + i);
            targets.registry.put(ref, image);
            names.add(ref.toString());
            many.put(ref.toString(), image);
        }
        targets.registry.slowReads(1);
        ModuleResult result = run(pull("/d", names, "concurrency", 3));
        assertEquals("success", result.stdout(), result.error());
        int max = targets.directory("/d").maxConcurrentBlobWrites();
        // Small blobs: four to each of the task's slots (TransferSlots), the large ones are bound by concurrency itself.
        assertTrue(max > 3 && max <= 12, "blob writes in flight at once: " + max);
    }

    @Test
    void cancellationStopsTransfersPromptlyAndWritesNoManifest() {
        publish();
        targets.registry.slowReads(20);
        AtomicBoolean cancelled = new AtomicBoolean();
        Cancellation cancellation = new Cancellation() {
            @Override public boolean isCancelled() { return cancelled.get(); }
            @Override public Registration onCancel(Runnable action) { return Registration.NONE; }
        };
        Thread canceller = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                return;
            }
            cancelled.set(true);
        });
        canceller.start();
        long start = System.nanoTime();
        ModuleResult result = run(pull("/d", List.of("nginx:1.27", "redis:7")), cancellation);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < 3000, "took " + millis + " ms");
        assertEquals("failed", result.stdout());
        assertTrue(result.error().contains("cancelled"), result.error());
        assertEquals(0, targets.directory("/d").count("tag "));
        assertEquals(0, targets.directory("/d").count("manifest "));
    }

    @Test
    void imagesAreCopiedWhileLaterOnesAreStillToPlanNoMoreThanTheWindowAhead() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            targets.registry.put(ImageReference.parse("docker.io/library/app" + i + ":1"), TestImages.single("linux/amd64", "layer " + i));
            names.add("app" + i + ":1");
        }
        AtomicInteger plannedAtFirstTag = new AtomicInteger(-1);
        targets.directory("/d").onEvent(event -> {
            if (event.startsWith("tag ")) {
                plannedAtFirstTag.compareAndSet(-1, targets.registry.resolves());
            }
        });
        // concurrency 1: one thread, so a window of PlanningWindow.IMAGES_PER_THREAD (32) images.
        ModuleResult result = run(pull("/d", names, "concurrency", 1));
        assertEquals("success", result.stdout(), result.error());
        assertEquals(100, targets.directory("/d").count("tag "));
        assertEquals(100, targets.registry.resolves(), "each image planned once");
        assertTrue(plannedAtFirstTag.get() >= 1 && plannedAtFirstTag.get() <= 33,
                "the first image was tagged when " + plannedAtFirstTag.get() + " of 100 were planned: a plan waits for room, not for every plan");
        assertTrue(log.infos().contains("pull: 100 images planned, 100 to copy with 200 distinct blobs, 0 already up to date, 0 not copyable"),
                log.infos().toString());
        RecordingLog.Batch batch = log.batches().get(0);
        assertEquals(100, batch.sized(), "every image sized as it was planned");
    }

    @Test
    void progressEndsWithOneFinishedLinePerImage() {
        publish();
        run(pull("/d", List.of("nginx:1.27", "redis:7")));
        assertEquals(1, log.batches().size());
        RecordingLog.Batch batch = log.batches().get(0);
        assertEquals("pull images", batch.label());
        assertEquals(2, batch.items());
        List<RecordingLog.Finished> done = log.finished();
        assertEquals(2, done.size());
        assertTrue(done.stream().allMatch(f -> f.outcome().equals("copied")), done.toString());
        assertEquals(batch.bytes(), done.stream().mapToLong(f -> f.transferred() + f.skipped()).sum(),
                "the images' bytes add up to the batch's");
        assertTrue(log.infos().stream().anyMatch(i -> i.startsWith("image: 2 images: 2 copied")), log.infos().toString());
    }

    @Test
    void secretsNeverAppearInTheResult() {
        publish();
        ModuleResult result = run(pull("/d", List.of("missing:1"), "auths", List.of(map("repo", "docker.io", "username", "me",
                "password", "hunter2"))));
        assertFalse((result.stdout() + result.stderr() + result.error() + result.data()).contains("hunter2"));
    }

    private static int indexOf(List<String> events, String prefix) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    private static int lastIndexOf(List<String> events, String prefix) {
        for (int i = events.size() - 1; i >= 0; i--) {
            if (events.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static Map<String, TestImages.TestImage> ordered(Object... pairs) {
        Map<String, TestImages.TestImage> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], (TestImages.TestImage) pairs[i + 1]);
        }
        return map;
    }
}
