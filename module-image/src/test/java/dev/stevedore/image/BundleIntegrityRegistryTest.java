package dev.stevedore.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stevedore.engine.testkit.CliRun;
import dev.stevedore.engine.testkit.ModuleRun;
import dev.stevedore.engine.testkit.ModuleTestKit;
import dev.stevedore.engine.testkit.PlaybookRunner;
import dev.stevedore.image.bundle.IntegrityManifest;
import dev.stevedore.image.bundle.IntegrityManifestCodec;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.testsupport.RegistryServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 item 3 end to end: the sample images (an OCI index of two platforms, a single OCI manifest, a
 * Docker manifest list) pushed to the real registry and pulled into a KubeKey images directory through the
 * module; the integrity manifest the pull writes, checked against the directory file by file; then
 * {@code stevedore verify} through the real CLI, on the intact bundle and on one with a byte flipped, a blob
 * deleted, a manifest deleted and a blob added.
 */
class BundleIntegrityRegistryTest {

    private static final Path SAMPLES = Path.of("..", "src", "demo", "sample-images").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();

    static RegistryServer registry;
    static ModuleTestKit kit;

    @TempDir
    Path work;
    Path bundle;

    @BeforeAll
    static void startRegistryAndPushTheSamples() throws IOException {
        registry = RegistryServer.start();
        kit = ModuleTestKit.of(new ImageModule(new RealTargets()))
                .withVariable("registry", registry.hostPort())
                .withVariable("samples", SAMPLES.toString());
        ModuleRun pushed = kit.runYaml("""
                push:
                  images_dir: "${samples}"
                  dest: "${registry}/${module.image.src.reference.repository}:${module.image.src.reference.reference}"
                  auths: [{repo: "${registry}", plain_http: true}]
                """);
        assertEquals("success", pushed.result().stdout(), pushed.result().error());
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @BeforeEach
    void pullTheSamples() {
        bundle = work.resolve("bundle");
        pull();
    }

    private void pull() {
        ModuleRun pulled = kit.runYaml("""
                manifests: ["${registry}/library/hello:1.0", "${registry}/library/static:1.0", "${registry}/tools/toolbox:2.1"]
                dest: "local://%s"
                auths: [{registry: "${registry}", plain_http: true}]
                """.formatted(bundle));
        assertEquals("success", pulled.result().stdout(), pulled.result().error());
    }

    private static CliRun verify(Path directory) {
        return PlaybookRunner.withDiscoveredModules().run("verify", directory.toString());
    }

    private String name(String image) {
        return registry.hostPort() + "/" + image;
    }

    private Path manifests(String repository) {
        return bundle.resolve(registry.hostPort()).resolve(repository).resolve("manifests");
    }

    @Test
    void theIntegrityManifestListsEveryBlobAndImageOfTheDirectory() throws Exception {
        byte[] written = Files.readAllBytes(bundle.resolve(IntegrityManifest.FILE_NAME));
        IntegrityManifest manifest = IntegrityManifestCodec.read(written);

        Map<String, Long> blobsOnDisk = new TreeMap<>();
        try (Stream<Path> files = Files.list(bundle.resolve("blobs"))) {
            for (Path file : files.toList()) {
                byte[] content = Files.readAllBytes(file);
                assertEquals(file.getFileName().toString(), Digest.sha256Of(content).toString(), "a blob is named by its digest");
                blobsOnDisk.put(file.getFileName().toString(), (long) content.length);
            }
        }
        Map<String, Long> listed = new TreeMap<>();
        manifest.blobs().forEach(b -> listed.put(b.digest().toString(), b.size()));
        assertEquals(blobsOnDisk, listed);

        assertEquals(List.of(name("library/hello:1.0"), name("library/static:1.0"), name("tools/toolbox:2.1")),
                manifest.images().stream().map(IntegrityManifest.Image::name).toList());
        for (IntegrityManifest.Image image : manifest.images()) {
            String repository = image.name().substring(registry.hostPort().length() + 1, image.name().lastIndexOf(':'));
            byte[] root = Files.readAllBytes(manifests(repository).resolve(image.name().substring(image.name().lastIndexOf(':') + 1)));
            assertEquals(Digest.sha256Of(root), image.digest(), image.name());
            assertEquals(JSON.readTree(root).get("mediaType").asText(), image.mediaType());
            assertEquals(expectedPlatforms(root), image.platforms(), image.name());
            assertEquals(expectedReferences(repository, root), image.references().stream().map(Digest::toString).sorted().toList());
        }
        assertEquals(List.of("linux/amd64", "linux/arm64/v8"), manifest.images().get(0).platforms());
        assertTrue(manifest.parts().isEmpty());
        assertTrue(manifest.toolVersion().matches("\\d+\\.\\d+\\.\\d+.*"), manifest.toolVersion());

        // KubeKey's push reads every JSON file outside blobs/ and needs a string mediaType that is not a manifest's.
        JsonNode top = JSON.readTree(written);
        assertEquals(IntegrityManifest.MEDIA_TYPE, top.get("mediaType").asText());
        assertEquals(List.of("mediaType", "schemaVersion", "tool", "blobs", "images", "parts"), fieldNames(top));

        pull();
        assertArrayEquals(written, Files.readAllBytes(bundle.resolve(IntegrityManifest.FILE_NAME)), "an up-to-date pull leaves it as it was");
        try (Stream<Path> root = Files.list(bundle)) {
            assertFalse(root.anyMatch(p -> p.getFileName().toString().startsWith(".tmp-")), "no temporary file is left");
        }
    }

    @Test
    void aPullThatCannotRecordItsIntegrityManifestFailsNamingTheDirectoryAndARunAfterTheFixFinishesIt() throws Exception {
        Path blocked = work.resolve("blocked");
        // A folder where the file must go: the rename into place fails, as on a real file system.
        Files.createDirectories(blocked.resolve(IntegrityManifest.FILE_NAME).resolve("in-the-way"));
        String pull = """
                manifests: ["${registry}/library/hello:1.0"]
                dest: "local://%s"
                auths: [{registry: "${registry}", plain_http: true}]
                """.formatted(blocked);

        ModuleRun failed = kit.runYaml(pull);

        assertEquals("failed", failed.result().stdout(), "the directory is not finished, so the task is not done");
        String error = failed.result().error();
        assertTrue(error.contains("could not finish writing KubeKey images directory " + blocked) && error.contains("the next run finishes it"),
                error);
        try (Stream<Path> blobs = Files.list(blocked.resolve("blobs"))) {
            assertFalse(blobs.toList().isEmpty(), "what was copied is kept");
        }
        // The image's result is kept, failed for the directory's sake, with what was written for it.
        assertTrue(failed.result().changed(), "its blobs were written");
        List<?> images = (List<?>) failed.result().data().get("images");
        assertEquals(1, images.size(), failed.result().data().toString());
        Map<?, ?> image = (Map<?, ?>) images.get(0);
        assertEquals("failed", image.get("status"));
        assertTrue(((String) image.get("error")).startsWith("could not finish writing KubeKey images directory " + blocked), image.toString());
        assertTrue((Long) image.get("blobs_copied") > 0, image.toString());
        assertEquals(1L, failed.result().data().get("images_failed"));
        assertTrue(error.startsWith("1 of 1 images failed:"), error);

        Files.delete(blocked.resolve(IntegrityManifest.FILE_NAME).resolve("in-the-way"));
        Files.delete(blocked.resolve(IntegrityManifest.FILE_NAME));
        ModuleRun again = kit.runYaml(pull);
        assertEquals("success", again.result().stdout(), again.result().error());
        assertEquals(List.of(name("library/hello:1.0")), IntegrityManifestCodec.read(Files.readAllBytes(
                blocked.resolve(IntegrityManifest.FILE_NAME))).images().stream().map(IntegrityManifest.Image::name).toList());
    }

    @Test
    void anIntactBundleVerifiesWithExitZero() throws Exception {
        CliRun run = verify(bundle);
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals(List.of("verified " + countFiles("blobs") + " blobs (" + blobBytes() + " bytes), " + countFiles("manifests")
                + " manifests and 3 images of images directory "
                + bundle.toRealPath() + ": all present and intact"), run.stdoutLines(), run.toString());
        assertEquals("", run.stderr());

        // The bundle still pushes: the root file is not taken for an image.
        ModuleRun pushed = kit.runYaml("""
                src: "local://%s"
                dest: "oci://${registry}/again/${module.image.reference.repository}:${module.image.reference.reference}"
                auths: [{registry: "${registry}", plain_http: true}]
                """.formatted(bundle));
        assertEquals("success", pushed.result().stdout(), pushed.result().error());
        assertEquals(3L, pushed.result().data().get("images_copied"));
    }

    @Test
    void aFlippedByteInALayerIsNamedCorruptAndEveryImageSharingItIncomplete() throws Exception {
        String layer = layerOf("library/static", "1.0", 0);
        assertEquals(6, usersOf(layer), "the samples' base layer is in every image");
        Path file = bundle.resolve("blobs").resolve(layer);
        byte[] content = Files.readAllBytes(file);
        content[content.length / 2] ^= 0x01;
        Files.write(file, content);

        CliRun run = verify(bundle);
        assertEquals(2, run.exitCode(), run.toString());
        assertEquals(List.of(
                "blobs/" + layer + ": corrupt (sha256 is " + Digest.sha256Of(content).hex() + ", expected " + layer.substring(7) + ")",
                "image " + name("library/hello:1.0") + ": incomplete (blobs/" + layer + ")",
                "image " + name("library/static:1.0") + ": incomplete (blobs/" + layer + ")",
                "image " + name("tools/toolbox:2.1") + ": incomplete (blobs/" + layer + ")"), run.stdoutLines(), run.toString());
        assertTrue(run.stderr().startsWith("stevedore: verify: 4 problems in " + countFiles("blobs") + " blobs"), run.stderr());
    }

    @Test
    void aDeletedBlobIsMissingAndItsImageIncomplete() throws Exception {
        String layer = layerOf("library/static", "1.0", 1);
        assertEquals(1, usersOf(layer), "the layer is static's alone");
        Files.delete(bundle.resolve("blobs").resolve(layer));

        CliRun run = verify(bundle);
        assertEquals(2, run.exitCode(), run.toString());
        String tagFile = registry.hostPort() + "/library/static/manifests/1.0";
        assertEquals(List.of(
                "blobs/" + layer + ": missing (needed by " + tagFile + ")",
                "image " + name("library/static:1.0") + ": incomplete (blobs/" + layer + ")"), run.stdoutLines(), run.toString());
    }

    @Test
    void aDeletedChildManifestAndADeletedTagAreNamed() throws Exception {
        byte[] index = Files.readAllBytes(manifests("tools/toolbox").resolve("2.1"));
        String child = JSON.readTree(index).get("manifests").get(1).get("digest").asText();
        Files.delete(manifests("tools/toolbox").resolve(child));
        Files.delete(manifests("library/hello").resolve("1.0"));

        CliRun run = verify(bundle);
        assertEquals(2, run.exitCode(), run.toString());
        String folder = registry.hostPort() + "/tools/toolbox/manifests";
        List<String> lines = run.stdoutLines();
        assertTrue(lines.contains(folder + "/" + child + ": missing (needed by " + folder + "/2.1)"), run.toString());
        assertTrue(lines.contains("image " + name("tools/toolbox:2.1") + ": incomplete (" + folder + "/" + child + ")"), run.toString());
        assertTrue(lines.contains("image " + name("library/hello:1.0") + ": missing (listed in stevedore-bundle.json)"), run.toString());
        // Without its tag, hello's two platform manifests are images stored by digest only, which nobody listed.
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("image " + registry.hostPort() + "/library/hello@sha256:")
                && l.endsWith(": extra (not in stevedore-bundle.json)")), run.toString());
        assertFalse(lines.stream().anyMatch(l -> l.contains("library/static")), run.toString());
    }

    @Test
    void aBlobNobodyListedIsExtraAndAResizedOneIsNamed() throws Exception {
        byte[] stray = "not part of any image\n".getBytes();
        Digest strayDigest = Digest.sha256Of(stray);
        Files.write(bundle.resolve("blobs").resolve(strayDigest.toString()), stray);

        CliRun run = verify(bundle);
        assertEquals(2, run.exitCode(), run.toString());
        assertEquals(List.of("blobs/" + strayDigest + ": extra (not in stevedore-bundle.json)"), run.stdoutLines(), run.toString());
    }

    @Test
    void aDirectoryWithoutAnIntegrityManifestIsCheckedAgainstItsOwnManifests() throws Exception {
        Path copy = work.resolve("kubekey-made");
        copyTree(bundle, copy);
        Files.delete(copy.resolve(IntegrityManifest.FILE_NAME));

        CliRun run = verify(copy);
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.stdoutLines().get(0).startsWith("note: no stevedore-bundle.json"), run.toString());
    }

    @Test
    void verifyNeedsOneDirectoryOrArchive() throws IOException {
        CliRun none = PlaybookRunner.withDiscoveredModules().run("verify");
        assertEquals(1, none.exitCode(), none.toString());
        assertEquals("stevedore: verify takes one bundle: stevedore verify DIR|FILE.tar (see stevedore --help)", none.stderr().strip());

        CliRun nothing = verify(work.resolve("absent"));
        assertEquals(1, nothing.exitCode(), nothing.toString());
        assertTrue(nothing.stderr().contains(work.resolve("absent") + " is neither a directory nor a bundle archive"), nothing.toString());

        // A file is read as a bundle archive: one that is not a tar cannot be read, an item wrong.
        Path file = Files.writeString(work.resolve("bundle.txt"), "x".repeat(1024));
        CliRun notATar = verify(file);
        assertEquals(2, notATar.exitCode(), notATar.toString());
        assertTrue(notATar.stdout().contains("bundle.txt: unreadable (") && notATar.stdout().contains("is not a tar archive"),
                notATar.toString());

        CliRun help = PlaybookRunner.withDiscoveredModules().run("--help");
        assertTrue(help.stdout().contains("verify DIR"), help.stdout());
    }

    @Test
    void aPathThatHoldsNoBundleIsSaidSoRatherThanVerifiedAsIntact() throws Exception {
        // Before, an empty directory, the folder above a bundle or an OCI layout gave "verified 0 blobs ...: all
        // present and intact" and exit 0, which an operator reads as the bundle checked.
        Path empty = Files.createDirectory(work.resolve("empty"));
        CliRun nothing = verify(empty);
        assertEquals(1, nothing.exitCode(), nothing.toString());
        assertEquals(List.of("images directory " + empty + ": no blobs, no manifests and no stevedore-bundle.json: not a bundle"
                + " a pull wrote; check the path (an images directory holds blobs/ and a folder for each registry)"),
                nothing.stdoutLines(), nothing.toString());
        assertTrue(nothing.stderr().contains("verify: " + empty + " holds no bundle: give the images directory or the archive"),
                nothing.toString());

        Path layout = work.resolve("layout");
        ModuleRun pulled = kit.runYaml("""
                manifests: ["${registry}/library/hello:1.0"]
                dest: "oci-layout://%s"
                auths: [{registry: "${registry}", plain_http: true}]
                """.formatted(layout));
        assertEquals("success", pulled.result().stdout(), pulled.result().error());
        CliRun ociLayout = verify(layout);
        assertEquals(1, ociLayout.exitCode(), ociLayout.toString());
        assertTrue(ociLayout.stdout().contains("(it is an OCI image layout, which verify does not check;"), ociLayout.toString());
        CliRun byScheme = PlaybookRunner.withDiscoveredModules().run("verify", "oci-layout://" + layout);
        assertEquals(1, byScheme.exitCode(), byScheme.toString());
        assertEquals("stevedore: verify does not check an OCI image layout ('oci-layout://" + layout + "'): give local://DIR"
                + " (a KubeKey images directory), archive://FILE.tar (a bundle archive) or a path", byScheme.stderr().strip());

        ModuleRun task = kit.runYaml("verify: \"local://%s\"".formatted(empty));
        assertTrue(task.failed(), task.result().toString());
        assertEquals(false, task.result().data().get("intact"));
        assertEquals("image: verify: " + nothing.stdoutLines().get(0), task.result().error());
        assertEquals(List.of(nothing.stdoutLines().get(0)), task.result().data().get("problems"));
    }

    @Test
    void todaysKubeKeyGenerationVerifiesAndACorruptManifestByDigestIsNamed() throws Exception {
        Path v2 = work.resolve("v2");
        ModuleRun pulled = kit.runYaml("""
                manifests: ["${registry}/library/hello:1.0", "${registry}/library/static:1.0"]
                dest: "local://%s"
                layout: kubekey-v2
                auths: [{registry: "${registry}", plain_http: true}]
                """.formatted(v2));
        assertEquals("success", pulled.result().stdout(), pulled.result().error());
        Path hello = v2.resolve(registry.hostPort()).resolve("library/hello/manifests");
        assertTrue(Files.exists(hello.resolve("layout")));
        IntegrityManifest manifest = IntegrityManifestCodec.read(Files.readAllBytes(v2.resolve(IntegrityManifest.FILE_NAME)));
        assertEquals(List.of(name("library/hello:1.0"), name("library/static:1.0")),
                manifest.images().stream().map(IntegrityManifest.Image::name).toList());
        CliRun intact = verify(v2);
        assertEquals(0, intact.exitCode(), intact.toString());

        Digest root = manifest.images().get(0).digest();
        Path rootFile = hello.resolve(root.toString());
        byte[] changed = Files.readAllBytes(rootFile);
        changed[changed.length - 2] = (byte) ' ';
        Files.write(rootFile, changed);
        CliRun run = verify(v2);
        assertEquals(2, run.exitCode(), run.toString());
        String member = registry.hostPort() + "/library/hello/manifests/" + root;
        assertEquals(List.of(
                member + ": corrupt (sha256 is " + Digest.sha256Of(changed).hex() + ", expected " + root.hex() + ")",
                "image " + name("library/hello:1.0") + ": incomplete (" + member + ")"), run.stdoutLines().subList(0, 2), run.toString());
    }

    @Test
    void theVerifyTaskRegistersWhatItFoundAndFailsOnAMissingBlob() throws Exception {
        ModuleRun intact = kit.runYaml("verify: \"local://%s\"".formatted(bundle));
        assertEquals("success", intact.result().stdout(), intact.result().error());
        assertEquals(true, intact.result().data().get("intact"));
        assertEquals(countFiles("blobs"), intact.result().data().get("blobs"));
        assertEquals(blobBytes(), intact.result().data().get("bytes"));
        assertEquals(3L, intact.result().data().get("images"));
        assertFalse(intact.result().changed());

        String layer = layerOf("library/static", "1.0", 1);
        Files.delete(bundle.resolve("blobs").resolve(layer));
        ModuleRun broken = kit.runYaml("verify: \"%s\"".formatted(bundle));
        assertTrue(broken.failed(), broken.result().toString());
        assertEquals(false, broken.result().data().get("intact"));
        List<String> expected = List.of(
                "blobs/" + layer + ": missing (needed by " + registry.hostPort() + "/library/static/manifests/1.0)",
                "image " + name("library/static:1.0") + ": incomplete (blobs/" + layer + ")");
        assertEquals(expected, broken.result().data().get("problems"));
        assertTrue(broken.result().error().contains(expected.get(0)), broken.result().error());
    }

    @Test
    void aVerifyTaskOfAnotherSchemeOrWithCopyArgumentsFailsBeforeTheRun() {
        CliRun run = PlaybookRunner.withDiscoveredModules().runYaml(work, """
                - hosts: localhost
                  tasks:
                    - image: {verify: "oci://example.com/app:1"}
                    - image: {verify: "local:///srv/images", dest: "local:///srv/other"}
                """);
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.stderr().contains("verify is 'oci://example.com/app:1': give local://DIR"), run.toString());
        assertTrue(run.stderr().contains("dest"), run.toString());
        assertTrue(run.stderr().contains("2 problems found before the run"), run.toString());
    }

    private String layerOf(String repository, String tag, int which) throws IOException {
        JsonNode manifest = JSON.readTree(Files.readAllBytes(manifests(repository).resolve(tag)));
        return manifest.get("layers").get(which).get("digest").asText();
    }

    /** How many manifest files of the bundle name {@code digest}. */
    private long usersOf(String digest) throws IOException {
        try (Stream<Path> files = Files.walk(bundle)) {
            return files.filter(p -> p.getParent().getFileName().toString().equals("manifests")).filter(p -> read(p).contains(digest)).count();
        }
    }

    private long countFiles(String folderName) throws IOException {
        try (Stream<Path> files = Files.walk(bundle)) {
            return files.filter(Files::isRegularFile).filter(p -> p.getParent().getFileName().toString().equals(folderName)).count();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private long blobBytes() throws IOException {
        try (Stream<Path> files = Files.list(bundle.resolve("blobs"))) {
            long total = 0;
            for (Path file : files.toList()) {
                total += Files.size(file);
            }
            return total;
        }
    }

    private List<String> expectedPlatforms(byte[] root) throws IOException {
        JsonNode node = JSON.readTree(root);
        List<String> platforms = new ArrayList<>();
        if (node.has("manifests")) {
            for (JsonNode child : node.get("manifests")) {
                platforms.add(platform(child.get("platform")));
            }
        } else {
            byte[] config = Files.readAllBytes(bundle.resolve("blobs").resolve(node.get("config").get("digest").asText()));
            platforms.add(platform(JSON.readTree(config)));
        }
        return platforms.stream().sorted().toList();
    }

    private static String platform(JsonNode node) {
        String variant = node.path("variant").asText("");
        return node.get("os").asText() + "/" + node.get("architecture").asText() + (variant.isEmpty() ? "" : "/" + variant);
    }

    private List<String> expectedReferences(String repository, byte[] root) throws IOException {
        JsonNode node = JSON.readTree(root);
        List<String> references = new ArrayList<>();
        if (node.has("manifests")) {
            for (JsonNode child : node.get("manifests")) {
                String digest = child.get("digest").asText();
                references.add(digest);
                references.addAll(expectedReferences(repository, Files.readAllBytes(manifests(repository).resolve(digest))));
            }
        } else {
            references.add(node.get("config").get("digest").asText());
            node.get("layers").forEach(layer -> references.add(layer.get("digest").asText()));
        }
        return references.stream().distinct().sorted().toList();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        }
    }
}
