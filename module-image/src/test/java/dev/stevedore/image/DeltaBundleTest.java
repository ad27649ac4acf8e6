package dev.stevedore.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.engine.testkit.CliRun;
import dev.stevedore.engine.testkit.ModuleRun;
import dev.stevedore.engine.testkit.ModuleTestKit;
import dev.stevedore.engine.testkit.PlaybookRunner;
import dev.stevedore.image.receipt.DeltaMarker;
import dev.stevedore.image.receipt.Receipt;
import dev.stevedore.image.receipt.ReceiptFile;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.store.KubeKeyLayoutStore;
import dev.stevedore.testsupport.Programs;
import dev.stevedore.testsupport.RegistryServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delta bundles end to end, against the real CNCF registry: registry A is the connected side, B the far side.
 * The samples go A → directory → B, and the push writes B's receipt. Then A gains two images: one in a new
 * repository on the samples' base layers plus a layer of its own, one that replaces a layer of an existing image,
 * and one sharing nothing.
 * A pull with {@code exclude:} that receipt writes only their new blobs; pushed into B, it makes complete images
 * skopeo copies; pushed into an empty registry, it fails before any manifest reaches it.
 */
class DeltaBundleTest {

    private static final Path SAMPLES = Path.of("..", "src", "demo", "sample-images").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";
    private static final String CONFIG = "application/vnd.oci.image.config.v1+json";
    private static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    private static final String INDEX = "application/vnd.oci.image.index.v1+json";
    private static final List<String> SAMPLE_IMAGES = List.of("library/hello:1.0", "library/static:1.0", "tools/toolbox:2.1");
    private static final List<String> NEW_IMAGES = List.of("tools/newapp:1.0", "library/hello:2.0");
    /** A new image that shares nothing with the samples: the only one a delta's push could send whole. */
    private static final String FRESH_IMAGE = "tools/fresh:1.0";

    @TempDir
    static Path work;

    static RegistryServer connected;
    static RegistryServer farSide;
    static ModuleTestKit kit;
    /** Every blob the two new images have that no sample has. */
    static Set<String> newBlobs = new TreeSet<>();
    static ModuleRun fullPull;
    static ModuleRun deltaPull;

    @BeforeAll
    static void fillTheFarSideThenPullADelta() throws Exception {
        connected = RegistryServer.start();
        farSide = RegistryServer.start();
        kit = ModuleTestKit.of(new ImageModule(new RealTargets()))
                .withVariable("a", connected.hostPort()).withVariable("b", farSide.hostPort())
                .withVariable("work", work.toString()).withVariable("samples", SAMPLES.toString());
        succeeds(pushInto("${samples}", "${a}", ""));
        fullPull = kit.runYaml("""
                pull:
                  manifests: %s
                  images_dir: "${work}/full"
                  auths: [{repo: "${a}", plain_http: true}]
                """.formatted(references("${a}", SAMPLE_IMAGES)));
        succeeds(fullPull);
        succeeds(pushInto("${work}/full", "${b}", "receipt: \"${work}/receipt.json\""));

        Path extra = work.resolve("extra");
        writeNewImages(extra);
        succeeds(pushInto(extra.toString(), "${a}", ""));

        List<String> all = new ArrayList<>(SAMPLE_IMAGES);
        all.addAll(NEW_IMAGES);
        all.add(FRESH_IMAGE);
        deltaPull = kit.runYaml("""
                pull:
                  manifests: %s
                  images_dir: "${work}/delta"
                  exclude: "${work}/receipt.json"
                  auths: [{repo: "${a}", plain_http: true}]
                """.formatted(references("${a}", all)));
        succeeds(deltaPull);
    }

    @AfterAll
    static void stop() {
        connected.close();
        farSide.close();
    }

    @Test
    void thePushWritesTheReceiptOfEveryImageAsTheFarSideHoldsIt() throws Exception {
        Receipt receipt = ReceiptFile.read(work.resolve("receipt.json"));
        assertEquals(1, receipt.version());
        assertEquals("oci://" + farSide.hostPort(), receipt.source());
        assertEquals(SAMPLE_IMAGES.stream().map(image -> farSide.hostPort() + "/" + image).sorted().toList(),
                receipt.images().stream().map(image -> image.name().toString()).sorted().toList());
        Set<String> sampleBlobs = blobNames(SAMPLES.resolve("blobs"));
        assertEquals(sampleBlobs, digests(receipt.blobs()), "every config and layer of the samples, as B holds them");
        byte[] index = skopeoRaw(farSide, "library/hello:1.0");
        assertTrue(receipt.manifests().contains(Digest.sha256Of(index)));
        JsonNode file = JSON.readTree(work.resolve("receipt.json").toFile());
        assertEquals(1, file.get("receipt_version").asInt());
        assertEquals(sampleBlobs.size(), file.get("blobs").size(), "the top-level union, for jq .blobs");
    }

    @Test
    void theDeltaHoldsOnlyTheNewBlobsAndEveryManifestWhole() throws Exception {
        assertEquals(newBlobs, blobNames(work.resolve("delta/blobs")), "only blobs the receipt does not list are written");
        for (String image : NEW_IMAGES) {
            String[] parts = image.split(":");
            byte[] stored = Files.readAllBytes(work.resolve("delta/" + connected.hostPort() + "/" + parts[0] + "/manifests/" + parts[1]));
            assertArrayEquals(skopeoRaw(connected, image), stored, image + "'s index is written byte-exact");
        }
        assertArrayEquals(Files.readAllBytes(SAMPLES.resolve("demo.local/library/hello/manifests/1.0")),
                Files.readAllBytes(work.resolve("delta/" + connected.hostPort() + "/library/hello/manifests/1.0")));
        DeltaMarker marker = DeltaMarker.read(KubeKeyLayoutStore.open(work.resolve("delta")).rootFiles().orElseThrow(), "delta")
                .orElseThrow();
        Set<String> sampleBlobs = blobNames(SAMPLES.resolve("blobs"));
        assertEquals(sampleBlobs, digests(marker.excluded().keySet()), "the marker names every blob left out");
        assertEquals("oci://" + farSide.hostPort(), marker.receiptSource());
        assertTrue(deltaPull.logContains("blobs left out"), deltaPull.log().toString());
    }

    @Test
    void theDeltaPullCountsTheBlobsItLeftOutPerImageAndInAll() {
        Map<String, Map<?, ?>> full = imagesBySource(fullPull);
        Map<String, Map<?, ?>> delta = imagesBySource(deltaPull);
        long excluded = 0;
        for (String image : SAMPLE_IMAGES) {
            String source = "oci://" + connected.hostPort() + "/" + image;
            Map<?, ?> sample = delta.get(source);
            long blobs = (Long) full.get(source).get("blobs_copied") + (Long) full.get(source).get("blobs_skipped");
            assertEquals(blobs, sample.get("blobs_excluded"), image + ": every blob of a sample is at the far side");
            assertEquals(0L, sample.get("blobs_copied"), sample.toString());
            assertEquals(0L, sample.get("blobs_skipped"), sample.toString());
            excluded += blobs;
        }
        assertEquals(0L, delta.get("oci://" + connected.hostPort() + "/" + FRESH_IMAGE).get("blobs_excluded"), "it shares nothing");
        assertEquals((long) newBlobs.size(), deltaPull.result().data().get("blobs_copied"));
        assertTrue(excluded > 0);
        long newImagesExcluded = (Long) deltaPull.result().data().get("blobs_excluded") - excluded;
        assertTrue(newImagesExcluded > 0, "the new images share the samples' base layers");
        assertTrue(deltaPull.result().stderr().endsWith(" mounted, " + (excluded + newImagesExcluded) + " excluded"),
                deltaPull.result().stderr());
        assertEquals(0L, fullPull.result().data().get("blobs_excluded"));
        assertFalse(fullPull.result().stderr().contains("excluded"), fullPull.result().stderr());
    }

    private static Map<String, Map<?, ?>> imagesBySource(ModuleRun run) {
        Map<String, Map<?, ?>> bySource = new TreeMap<>();
        for (Object image : (List<?>) run.result().data().get("images")) {
            Map<?, ?> entry = (Map<?, ?>) image;
            bySource.put((String) entry.get("source"), entry);
        }
        return bySource;
    }

    @Test
    void theDeltaPushedIntoTheFarSideMakesCompleteImages() throws Exception {
        ModuleRun pushed = pushInto("${work}/delta", "${b}", "");
        succeeds(pushed);
        assertEquals(3L, pushed.result().data().get("images_copied"), "the three new images; the samples are up to date");
        assertEquals((long) newBlobs.size(), pushed.result().data().get("blobs_copied"), "only the delta's own blobs are uploaded");
        List<String> mounts = Files.readAllLines(farSide.logFile()).stream()
                .filter(line -> line.contains("\"POST /v2/tools/newapp/blobs/uploads/?mount=") && line.contains("\" 201 ")).toList();
        assertFalse(mounts.isEmpty(), "the new repository gets the left-out base layers by mounts from library/hello");
        List<String> all = new ArrayList<>(NEW_IMAGES);
        all.add(FRESH_IMAGE);
        for (String image : all) {
            assertArrayEquals(skopeoRaw(connected, image), skopeoRaw(farSide, image), image + " is the same manifest in B as in A");
            Path copy = work.resolve("skopeo-" + image.replace('/', '-').replace(':', '-'));
            run("skopeo", "copy", "--all", "--src-tls-verify=false", "docker://" + farSide.hostPort() + "/" + image, "oci:" + copy + ":x");
            assertFalse(blobsOf(farSide, image).isEmpty());
            Set<String> copied = new HashSet<>();
            try (Stream<Path> files = Files.list(copy.resolve("blobs/sha256"))) {
                files.forEach(file -> copied.add("sha256:" + file.getFileName()));
            }
            for (String blob : blobsOf(farSide, image)) {
                assertTrue(copied.contains(blob), image + ": skopeo copied " + blob + " out of B");
            }
        }
    }

    @Test
    void theDeltaPushedIntoAnEmptyRegistryFailsBeforeAnyManifestReachesIt() throws Exception {
        try (RegistryServer empty = RegistryServer.start()) {
            ModuleRun pushed = kit.withVariable("c", empty.hostPort()).runYaml("""
                    push:
                      images_dir: "${work}/delta"
                      dest: "${c}/${module.image.src.reference.repository}:${module.image.src.reference.reference}"
                      auths: [{repo: "${c}", plain_http: true}]
                    """);
            assertEquals("failed", pushed.result().stdout());
            String error = pushed.result().error();
            assertTrue(error.contains("tools/newapp:1.0 is not pushed: this delta bundle left out")
                    && error.contains("registry " + empty.hostPort() + " has them neither in tools/newapp"), error);
            assertTrue(error.contains("(the receipt saw it in library/hello") && error.contains("sha256:"), error);
            assertTrue(error.contains("push the delta into the registry the receipt was taken of"), error);
            assertTrue(error.contains("tools/fresh:1.0: not pushed: the delta bundle's push stopped before any manifest"),
                    "an image needing nothing from the far side is held back too: " + error);
            assertEquals(0L, pushed.result().data().get("images_copied"));
            List<String> writes = Files.readAllLines(empty.logFile()).stream()
                    .filter(line -> line.contains("\"PUT /v2/")).toList();
            assertEquals(List.of(), writes, "no manifest, and no blob either, reached the empty registry");
            assertFalse(Files.exists(empty.storageDir().resolve("docker/registry/v2/repositories/tools/fresh")));
        }
    }

    @Test
    void stevedoreReceiptOfTheFarSideLooksUpADirectorysImagesAndAgreesWithThePushsReceipt() throws Exception {
        PlaybookRunner stevedore = PlaybookRunner.withModules(new ImageModule(new RealTargets()));
        Path fromRegistry = work.resolve("cli/registry.json");
        CliRun registry = stevedore.run("receipt", "oci://" + farSide.hostPort(), fromRegistry.toString(),
                "local://" + work.resolve("full"), "--plain-http");
        assertEquals(0, registry.exitCode(), registry.toString());
        assertTrue(registry.stdout().contains("3 images") && registry.stdout().contains(" 13 blobs"), registry.stdout());
        Receipt pushed = ReceiptFile.read(work.resolve("receipt.json"));
        Receipt looked = ReceiptFile.read(fromRegistry);
        assertEquals(pushed.images(), looked.images());

        CliRun named = stevedore.run("receipt", "oci://" + farSide.hostPort(), work.resolve("cli/one.json").toString(),
                "library/hello:1.0", "--plain-http");
        assertEquals(0, named.exitCode(), named.toString());
        assertEquals(List.of(farSide.hostPort() + "/library/hello:1.0"),
                ReceiptFile.read(work.resolve("cli/one.json")).images().stream().map(i -> i.name().toString()).toList());

        CliRun missing = stevedore.run("receipt", "oci://" + farSide.hostPort(), work.resolve("cli/none.json").toString(),
                "library/nothing:1", "--plain-http");
        assertEquals(2, missing.exitCode(), missing.toString());
        assertTrue(missing.stderr().contains("library/nothing:1 is not in registry"), missing.stderr());
        assertFalse(Files.exists(work.resolve("cli/none.json")));

        CliRun usage = stevedore.run("receipt", "oci://" + farSide.hostPort());
        assertEquals(1, usage.exitCode());
        assertTrue(usage.stderr().contains("receipt needs a SOURCE and a FILE"), usage.stderr());

        // The remedies name the command's own options, not a task's keys.
        CliRun overHttps = stevedore.run("receipt", "oci://" + farSide.hostPort(), work.resolve("cli/https.json").toString(),
                "library/hello:1.0");
        assertEquals(2, overHttps.exitCode(), overHttps.toString());
        assertTrue(overHttps.stderr().contains("the registry answers in plain HTTP; pass --plain-http"), overHttps.stderr());
        assertFalse(overHttps.stderr().contains("plain_http"), overHttps.stderr());

        Path nowhere = work.resolve("cli/no-such-dir");
        CliRun noDirectory = stevedore.run("receipt", "oci://" + farSide.hostPort(), work.resolve("cli/nodir.json").toString(),
                "local://" + nowhere, "--plain-http");
        assertEquals(2, noDirectory.exitCode(), noDirectory.toString());
        assertTrue(noDirectory.stderr().contains("DIR local://" + nowhere + " does not exist; name the bundle the far side holds"),
                noDirectory.stderr());
    }

    @Test
    void aReceiptOfTheDeltaDirectoryListsOnlyTheBlobsItHolds() throws Exception {
        CliRun delta = PlaybookRunner.withModules(new ImageModule(new RealTargets())).run("receipt",
                "local://" + work.resolve("delta"), work.resolve("cli/delta.json").toString());
        assertEquals(0, delta.exitCode(), delta.toString());
        Receipt receipt = ReceiptFile.read(work.resolve("cli/delta.json"));
        assertEquals(6, receipt.images().size());
        assertEquals(newBlobs, digests(receipt.blobs()), "the left-out blobs are not in the directory, so not in its receipt");
        assertEquals("local://" + work.resolve("delta"), receipt.source());
    }

    @ParameterizedTest
    @ValueSource(strings = {"delta.tar", "delta.tar.zst"})
    void aDeltaPulledIntoAnArchiveCarriesItsMarkerAndMakesCompleteImagesAtAFarSideThatHoldsTheRest(String bundle) throws Exception {
        List<String> all = new ArrayList<>(SAMPLE_IMAGES);
        all.addAll(NEW_IMAGES);
        all.add(FRESH_IMAGE);
        Path folder = work.resolve("archive-" + bundle);
        Path archive = folder.resolve(bundle);
        succeeds(kit.withVariable("archive", archive.toString()).runYaml("""
                pull:
                  manifests: %s
                  images_dir: "archive://${archive}"
                  exclude: "${work}/receipt.json"
                  auths: [{repo: "${a}", plain_http: true}]
                """.formatted(references("${a}", all))));
        assertFalse(Files.exists(archive.resolveSibling(DeltaMarker.FILE_NAME)), "the marker is a member, not a file beside it");
        String listing = new String(run("tar", "-tf", archive.toString()), StandardCharsets.UTF_8);
        assertTrue(listing.lines().anyMatch(DeltaMarker.FILE_NAME::equals), listing);
        Path extracted = Files.createDirectories(folder.resolve("extracted"));
        run("tar", "-xf", archive.toString(), "-C", extracted.toString());
        assertArrayEquals(Files.readAllBytes(work.resolve("delta/" + DeltaMarker.FILE_NAME)),
                Files.readAllBytes(extracted.resolve(DeltaMarker.FILE_NAME)), "the same marker as the directory's delta");
        Set<String> carried = blobNames(extracted.resolve("blobs"));
        assertEquals(newBlobs, carried, "only the blobs the far side lacks");

        try (RegistryServer site = RegistryServer.start(); RegistryServer empty = RegistryServer.start()) {
            ModuleTestKit sites = kit.withVariable("c", site.hostPort()).withVariable("d", empty.hostPort())
                    .withVariable("archive", archive.toString());
            succeeds(sites.runYaml(pushYaml("${work}/full", "${c}")));
            ModuleRun checked = sites.inCheckMode().runYaml(pushYaml("archive://${archive}", "${c}"));
            assertEquals("success", checked.result().stdout(), checked.result().error());
            assertTrue(checked.result().changed(), "a check run finds the left-out blobs to mount and the new images to push");
            ModuleRun pushed = sites.runYaml(pushYaml("archive://${archive}", "${c}"));
            succeeds(pushed);
            assertEquals(3L, pushed.result().data().get("images_copied"));
            for (String image : NEW_IMAGES) {
                assertArrayEquals(skopeoRaw(connected, image), skopeoRaw(site, image), image + " is the same manifest at the site as in A");
                Path copy = folder.resolve("skopeo-" + image.replace('/', '-').replace(':', '-'));
                run("skopeo", "copy", "--all", "--src-tls-verify=false", "docker://" + site.hostPort() + "/" + image, "oci:" + copy + ":x");
            }

            ModuleRun refused = sites.runYaml(pushYaml("archive://${archive}", "${d}"));
            assertEquals("failed", refused.result().stdout());
            assertTrue(refused.result().error().contains("tools/newapp:1.0 is not pushed: this delta bundle left out"),
                    refused.result().error());
            ModuleRun refusedInCheck = sites.inCheckMode().runYaml(pushYaml("archive://${archive}", "${d}"));
            assertEquals("failed", refusedInCheck.result().stdout(), "a check run forecasts the same refusal");
            assertTrue(refusedInCheck.result().error().contains("registry " + empty.hostPort() + " has them neither in tools/newapp"),
                    refusedInCheck.result().error());
            assertTrue(refusedInCheck.result().error().contains("tools/fresh:1.0: not pushed: the delta bundle's push stopped before any"
                    + " manifest"), "as in the real run, the image needing nothing from the far side is held back: "
                    + refusedInCheck.result().error());
            assertEquals(List.of(), Files.readAllLines(empty.logFile()).stream().filter(line -> line.contains("\"PUT /v2/")).toList());
        }
    }

    @Test
    void aCheckRunOfADeltaPullWritesNoMarker() throws Exception {
        Path directory = work.resolve("checked-delta");
        ModuleRun checked = kit.inCheckMode().withVariable("dir", directory.toString()).runYaml("""
                pull:
                  manifests: %s
                  images_dir: "${dir}"
                  exclude: "${work}/receipt.json"
                  auths: [{repo: "${a}", plain_http: true}]
                """.formatted(references("${a}", NEW_IMAGES)));
        assertEquals("success", checked.result().stdout(), checked.result().error());
        assertFalse(Files.exists(directory), "nothing is written, the marker neither");
        assertTrue(checked.result().stderr().matches(".* to mount, [1-9][0-9]* excluded; nothing was written"), checked.result().stderr());
        assertTrue((Long) checked.result().data().get("blobs_excluded") > 0, checked.result().data().toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {".tar", ".tar.zst"})
    void aReceiptOfABundleArchiveListsWhatTheSameBundleAsADirectoryHolds(String suffix) throws Exception {
        Path archive = work.resolve("receipt-archive/full" + suffix);
        succeeds(kit.withVariable("archive", archive.toString()).runYaml("""
                pull:
                  manifests: %s
                  images_dir: "archive://${archive}"
                  auths: [{repo: "${a}", plain_http: true}]
                """.formatted(references("${a}", SAMPLE_IMAGES))));
        PlaybookRunner stevedore = PlaybookRunner.withModules(new ImageModule(new RealTargets()));
        Path ofArchiveFile = work.resolve("receipt-archive/archive" + suffix + ".json");
        CliRun ofArchive = stevedore.run("receipt", "archive://" + archive, ofArchiveFile.toString());
        assertEquals(0, ofArchive.exitCode(), ofArchive.toString());
        CliRun ofDirectory = stevedore.run("receipt", "local://" + work.resolve("full"), work.resolve("receipt-archive/directory.json").toString());
        assertEquals(0, ofDirectory.exitCode(), ofDirectory.toString());
        Receipt fromArchive = ReceiptFile.read(ofArchiveFile);
        Receipt fromDirectory = ReceiptFile.read(work.resolve("receipt-archive/directory.json"));
        assertEquals("archive://" + archive, fromArchive.source());
        assertEquals(fromDirectory.images(), fromArchive.images());
        assertEquals(fromDirectory.blobs(), fromArchive.blobs());
        assertEquals(fromDirectory.manifests(), fromArchive.manifests());
        assertEquals(blobNames(SAMPLES.resolve("blobs")), digests(fromArchive.blobs()));

        // A plain path, as stevedore verify takes one: a file is the archive, a directory an images directory.
        CliRun plainArchive = stevedore.run("receipt", archive.toString(), work.resolve("receipt-archive/plain" + suffix + ".json").toString());
        assertEquals(0, plainArchive.exitCode(), plainArchive.toString());
        Receipt fromPlainArchive = ReceiptFile.read(work.resolve("receipt-archive/plain" + suffix + ".json"));
        assertEquals("archive://" + archive, fromPlainArchive.source());
        assertEquals(fromArchive.blobs(), fromPlainArchive.blobs());
        CliRun plainDirectory = stevedore.run("receipt", work.resolve("full").toString(), work.resolve("receipt-archive/plain.json").toString());
        assertEquals(0, plainDirectory.exitCode(), plainDirectory.toString());
        assertEquals("local://" + work.resolve("full"), ReceiptFile.read(work.resolve("receipt-archive/plain.json")).source());
        assertEquals(fromDirectory.images(), ReceiptFile.read(work.resolve("receipt-archive/plain.json")).images());

        CliRun missing = stevedore.run("receipt", "archive://" + work.resolve("receipt-archive/none" + suffix),
                work.resolve("receipt-archive/none.json").toString());
        assertEquals(2, missing.exitCode(), missing.toString());
        assertTrue(missing.stderr().contains("none" + suffix + " does not exist (nor its first part, .part-0001)"), missing.stderr());
        assertFalse(Files.exists(work.resolve("receipt-archive/none.json")), "no receipt that would exclude nothing");
    }

    @Test
    void aReceiptOfASourceThatListsNoImageFailsRatherThanExcludeNothing() throws Exception {
        // An empty receipt makes the "delta" the whole bundle again, found only at the air gap.
        PlaybookRunner stevedore = PlaybookRunner.withModules(new ImageModule(new RealTargets()));
        Path empty = Files.createDirectories(work.resolve("receipt-empty/images"));
        CliRun ofEmpty = stevedore.run("receipt", empty.toString(), work.resolve("receipt-empty/empty.json").toString());
        assertEquals(2, ofEmpty.exitCode(), ofEmpty.toString());
        assertEquals("stevedore receipt: SOURCE local://" + empty + " lists no image, so its receipt would exclude nothing; name"
                + " the bundle the far side holds", ofEmpty.stderr().strip());
        assertFalse(Files.exists(work.resolve("receipt-empty/empty.json")));

        // skopeo's oci:DIR:1.0 names the entry "1.0", which has no repository: the layout lists no image.
        Path layout = Files.createDirectories(work.resolve("receipt-empty/layout"));
        Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Files.writeString(layout.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
                + "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:" + "1".repeat(64) + "\",\"size\":555,"
                + "\"annotations\":{\"org.opencontainers.image.ref.name\":\"1.0\"}}]}");
        CliRun ofLayout = stevedore.run("receipt", layout.toString(), work.resolve("receipt-empty/layout.json").toString());
        assertEquals(2, ofLayout.exitCode(), ofLayout.toString());
        assertTrue(ofLayout.stderr().contains("SOURCE oci-layout://" + layout + " lists no image")
                && ofLayout.stderr().contains("is a full reference (registry/repository:tag), not a bare tag"), ofLayout.toString());
    }

    private static String pushYaml(String source, String registry) {
        return """
                push:
                  images_dir: "%s"
                  dest: "%s/${module.image.src.reference.repository}:${module.image.src.reference.reference}"
                  auths: [{repo: "%s", plain_http: true}]
                """.formatted(source, registry, registry);
    }

    // ---- fixtures ----

    private static ModuleRun pushInto(String imagesDir, String registry, String extraLine) {
        return kit.runYaml("""
                push:
                  images_dir: "%s"
                  dest: "%s/${module.image.src.reference.repository}:${module.image.src.reference.reference}"
                  auths: [{repo: "%s", plain_http: true}]
                  %s
                """.formatted(imagesDir, registry, registry, extraLine));
    }

    private static void succeeds(ModuleRun run) {
        assertFalse(run.failed(), run.result().error() + "\n" + run.log());
    }

    private static String references(String registry, List<String> images) {
        return images.stream().map(image -> "\"" + registry + "/" + image + "\"").toList().toString();
    }

    /**
     * Two new images as KubeKey directory content beside copies of the samples' blobs they share: tools/newapp:1.0
     * (hello's layers plus a new one, per platform) and library/hello:2.0 (hello's base layer, its top layer replaced).
     */
    private static void writeNewImages(Path extra) throws Exception {
        Path blobs = Files.createDirectories(extra.resolve("blobs"));
        JsonNode hello = JSON.readTree(SAMPLES.resolve("demo.local/library/hello/manifests/1.0").toFile());
        ArrayNode newapp = JSON.createArrayNode();
        ArrayNode hello2 = JSON.createArrayNode();
        for (JsonNode entry : hello.get("manifests")) {
            String platform = entry.get("platform").get("architecture").asText();
            JsonNode child = JSON.readTree(SAMPLES.resolve("demo.local/library/hello/manifests/" + entry.get("digest").asText()).toFile());
            JsonNode config = JSON.readTree(SAMPLES.resolve("blobs/" + child.get("config").get("digest").asText()).toFile());
            for (JsonNode layer : child.get("layers")) {
                Path shared = blobs.resolve(layer.get("digest").asText());
                if (!Files.exists(shared)) {
                    Files.copy(SAMPLES.resolve("blobs/" + layer.get("digest").asText()), shared);
                }
            }
            newapp.add(childEntry(entry, writeChild(extra, "tools/newapp", child, config, layer("newapp-" + platform, blobs), false)));
            hello2.add(childEntry(entry, writeChild(extra, "library/hello", child, config, layer("hello-2.0-" + platform, blobs), true)));
        }
        writeIndex(extra, "tools/newapp", "1.0", newapp);
        writeIndex(extra, "library/hello", "2.0", hello2);
        JsonNode someChild = JSON.readTree(SAMPLES.resolve("demo.local/library/hello/manifests/"
                + hello.get("manifests").get(0).get("digest").asText()).toFile());
        JsonNode someConfig = JSON.readTree(SAMPLES.resolve("blobs/" + someChild.get("config").get("digest").asText()).toFile());
        ObjectNode bare = someChild.deepCopy();
        ((ArrayNode) bare.get("layers")).removeAll();
        ObjectNode freshConfig = someConfig.deepCopy();
        ((ArrayNode) freshConfig.get("rootfs").get("diff_ids")).removeAll();
        byte[] fresh = writeChild(extra, "tools/fresh", bare, freshConfig, layer("fresh", blobs), false);
        Files.write(extra.resolve("demo.local/tools/fresh/manifests/1.0"), fresh);
    }

    /** A real layer: a POSIX tar of one file, gzipped; returns its descriptor and diff_id. */
    private static Layer layer(String name, Path blobs) throws Exception {
        byte[] tarBytes = tarOfOneFile(name + ".txt", ("content of " + name + "\n").getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(tarBytes);
        }
        byte[] gzipped = gz.toByteArray();
        String digest = Digest.sha256Of(gzipped).toString();
        Files.write(blobs.resolve(digest), gzipped);
        newBlobs.add(digest);
        return new Layer(descriptor(LAYER, digest, gzipped.length), Digest.sha256Of(tarBytes).toString());
    }

    /** A ustar archive (POSIX.1-1988) of one regular file: a 512-byte header, the content padded to 512, two zero blocks. */
    private static byte[] tarOfOneFile(String name, byte[] content) {
        byte[] header = new byte[512];
        put(header, 0, name);
        put(header, 100, "0000644");
        put(header, 108, "0000000");
        put(header, 116, "0000000");
        put(header, 124, String.format("%011o", content.length));
        put(header, 136, String.format("%011o", 0));
        java.util.Arrays.fill(header, 148, 156, (byte) ' ');
        header[156] = '0';
        put(header, 257, "ustar");
        put(header, 263, "00");
        int sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        put(header, 148, String.format("%06o", sum));
        header[154] = 0;
        int padded = (content.length + 511) / 512 * 512;
        byte[] tar = new byte[512 + padded + 1024];
        System.arraycopy(header, 0, tar, 0, 512);
        System.arraycopy(content, 0, tar, 512, content.length);
        return tar;
    }

    private static void put(byte[] header, int offset, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, header, offset, bytes.length);
    }

    private record Layer(ObjectNode descriptor, String diffId) { }

    /** A child manifest: the sample's layers plus {@code layer}, or with its top layer replaced by it. */
    private static byte[] writeChild(Path extra, String repository, JsonNode child, JsonNode config, Layer layer, boolean replaceTop)
            throws IOException {
        ObjectNode newConfig = config.deepCopy();
        ArrayNode diffIds = (ArrayNode) newConfig.get("rootfs").get("diff_ids");
        ObjectNode manifest = child.deepCopy();
        ArrayNode layers = (ArrayNode) manifest.get("layers");
        if (replaceTop) {
            diffIds.remove(diffIds.size() - 1);
            layers.remove(layers.size() - 1);
        }
        diffIds.add(layer.diffId());
        layers.add(layer.descriptor());
        byte[] configBytes = JSON.writeValueAsBytes(newConfig);
        String configDigest = Digest.sha256Of(configBytes).toString();
        Files.write(extra.resolve("blobs").resolve(configDigest), configBytes);
        newBlobs.add(configDigest);
        manifest.set("config", descriptor(CONFIG, configDigest, configBytes.length));
        byte[] bytes = JSON.writeValueAsBytes(manifest);
        Path folder = Files.createDirectories(extra.resolve("demo.local/" + repository + "/manifests"));
        Files.write(folder.resolve(Digest.sha256Of(bytes).toString()), bytes);
        return bytes;
    }

    private static ObjectNode childEntry(JsonNode sampleEntry, byte[] manifest) {
        ObjectNode entry = sampleEntry.deepCopy();
        entry.put("digest", Digest.sha256Of(manifest).toString());
        entry.put("size", manifest.length);
        return entry;
    }

    private static void writeIndex(Path extra, String repository, String tag, ArrayNode entries) throws IOException {
        ObjectNode index = JSON.createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", INDEX);
        index.set("manifests", entries);
        Files.write(extra.resolve("demo.local/" + repository + "/manifests/" + tag), JSON.writeValueAsBytes(index));
    }

    private static ObjectNode descriptor(String mediaType, String digest, long size) {
        ObjectNode descriptor = JSON.createObjectNode();
        descriptor.put("mediaType", mediaType);
        descriptor.put("digest", digest);
        descriptor.put("size", size);
        return descriptor;
    }

    // ---- reading back ----

    private static Set<String> blobNames(Path folder) throws IOException {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.list(folder)) {
            files.forEach(file -> names.add(file.getFileName().toString()));
        }
        return names;
    }

    private static Set<String> digests(Set<Digest> digests) {
        Set<String> names = new TreeSet<>();
        digests.forEach(digest -> names.add(digest.toString()));
        return names;
    }

    /** Every config and layer of an image in a registry, read with skopeo. */
    private static List<String> blobsOf(RegistryServer registry, String image) throws Exception {
        List<String> blobs = new ArrayList<>();
        JsonNode root = JSON.readTree(skopeoRaw(registry, image));
        String repository = image.substring(0, image.indexOf(':'));
        List<JsonNode> manifests = new ArrayList<>();
        if (root.has("manifests")) {
            for (JsonNode entry : root.get("manifests")) {
                manifests.add(JSON.readTree(skopeoRaw(registry, repository + "@" + entry.get("digest").asText())));
            }
        } else {
            manifests.add(root);
        }
        for (JsonNode child : manifests) {
            assertEquals(MANIFEST, child.get("mediaType").asText());
            blobs.add(child.get("config").get("digest").asText());
            child.get("layers").forEach(layer -> blobs.add(layer.get("digest").asText()));
        }
        return blobs;
    }

    private static byte[] skopeoRaw(RegistryServer registry, String image) throws Exception {
        return run("skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + registry.hostPort() + "/" + image);
    }

    private static byte[] run(String... command) throws Exception {
        command[0] = Programs.require(command[0]);
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = process.getInputStream().readAllBytes();
        assertEquals(0, process.waitFor(), String.join(" ", command));
        return out;
    }
}
