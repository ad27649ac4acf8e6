package dev.stevedore.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.engine.testkit.CliRun;
import dev.stevedore.engine.testkit.ModuleRun;
import dev.stevedore.engine.testkit.ModuleTestKit;
import dev.stevedore.engine.testkit.PlaybookRunner;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.testsupport.Programs;
import dev.stevedore.testsupport.RegistryServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The module end to end: the engine's test kit and real FreeMarker templates, the real CNCF registry on
 * 127.0.0.1, KubeKey images directories on disk, and skopeo reading what we pushed.
 */
class ImageModuleRegistryTest {

    private static final Path SAMPLES = Path.of("..", "src", "demo", "sample-images").toAbsolutePath().normalize();

    static RegistryServer registry;
    static ModuleTestKit kit;

    @TempDir
    Path work;

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
        assertEquals(3L, pushed.result().data().get("images_copied"));
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void whatWePushedIsReadBySkopeoWithTheSourceDigestsForEveryPlatform() throws Exception {
        for (String image : List.of("library/hello:1.0", "library/static:1.0", "tools/toolbox:2.1")) {
            String[] parts = image.split(":");
            byte[] local = Files.readAllBytes(SAMPLES.resolve("demo.local/" + parts[0] + "/manifests/" + parts[1]));
            byte[] remote = skopeoRaw(registry.hostPort() + "/" + image);
            assertArrayEquals(local, remote, image + " is byte-exact in the registry");
            for (String child : childDigests(local)) {
                byte[] childRemote = skopeoRaw(registry.hostPort() + "/" + parts[0] + "@" + child);
                assertEquals(child, Digest.sha256Of(childRemote).toString());
            }
        }
    }

    @Test
    void pushingAgainChangesNothing() {
        ModuleRun again = kit.runYaml("""
                push:
                  images_dir: "${samples}"
                  dest: "${registry}/${module.image.src.reference.repository}:${module.image.src.reference.reference}"
                  auths: [{repo: "${registry}", plain_http: true}]
                """);
        assertEquals("success", again.result().stdout(), again.result().error());
        assertFalse(again.result().changed());
        assertEquals(0L, again.result().data().get("bytes"));
    }

    @Test
    void pullingOnePlatformWritesAFilteredIndexAndASecondPullChangesNothing() throws Exception {
        String pull = """
                manifests: ["${registry}/library/hello:1.0", "${registry}/tools/toolbox:2.1"]
                dest: "local://%s"
                platform: linux/arm64
                auths: [{registry: "${registry}", plain_http: true}]
                """.formatted(work.resolve("arm"));
        ModuleRun first = kit.runYaml(pull);
        assertEquals("success", first.result().stdout(), first.result().error());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> images = (List<Map<String, Object>>) first.registered().get("images");
        assertEquals(List.of("linux/arm64/v8"), images.get(0).get("platforms"));
        Path index = work.resolve("arm/" + registry.hostPort() + "/library/hello/manifests/1.0");
        byte[] stored = Files.readAllBytes(index);
        assertEquals(images.get(0).get("digest"), Digest.sha256Of(stored).toString());
        assertNotEquals(Digest.sha256Of(Files.readAllBytes(SAMPLES.resolve("demo.local/library/hello/manifests/1.0"))).toString(),
                images.get(0).get("digest"));
        assertTrue(new String(stored).contains("\"arm64\"") && !new String(stored).contains("\"amd64\""));

        ModuleRun second = kit.runYaml(pull);
        assertEquals("success", second.result().stdout(), second.result().error());
        assertFalse(second.result().changed());
        assertEquals(2L, second.result().data().get("images_unchanged"));
    }

    @Test
    void aMissingPlatformFailsUnderStrictAndIsSkippedUnderWarn() {
        String pull = """
                manifests: ["${registry}/library/static:1.0"]
                dest: "local://%s"
                platform: linux/s390x
                policy: %s
                auths: [{registry: "${registry}", plain_http: true}]
                """;
        ModuleRun strict = kit.runYaml(pull.formatted(work.resolve("s"), "strict"));
        assertEquals("failed", strict.result().stdout());
        assertTrue(strict.result().error().contains("has no image for [linux/s390x] (it has [linux/amd64])"), strict.result().error());
        ModuleRun warn = kit.runYaml(pull.formatted(work.resolve("w"), "warn"));
        assertEquals("skip", warn.result().stdout(), warn.result().error());
    }

    @Test
    void theOperatorsLocaleChangesNoArgumentResultOrFileName() throws Exception {
        Locale before = Locale.getDefault();
        try {
            // Turkish upper-cases i as İ and lower-cases I as ı: "strict" was read as STRİCT, "FAILED" written as faıled.
            Locale.setDefault(Locale.forLanguageTag("tr-TR"));
            ModuleRun strict = kit.runYaml("""
                    pull:
                      manifests: ["${registry}/library/hello:1.0"]
                      images_dir: "%s"
                      platform: linux/arm64
                      policy: strict
                      auths: [{repo: "${registry}", plain_http: true}]
                    """.formatted(work.resolve("tr")));
            assertEquals("success", strict.result().stdout(), strict.result().error());
            assertEquals("copied", images(strict).get(0).get("status"));
            ModuleRun missing = kit.runYaml("""
                    manifests: ["${registry}/library/static:1.0"]
                    dest: "local://%s"
                    platform: linux/s390x
                    policy: warn
                    auths: [{registry: "${registry}", plain_http: true}]
                    """.formatted(work.resolve("tr-warn")));
            assertEquals("skipped", images(missing).get(0).get("status"), missing.result().error());

            // Persian and Arabic format numbers in their own digits: the parts were bundle.tar.part-۰۰۰۱.
            for (String language : List.of("fa-IR", "ar-EG")) {
                Locale.setDefault(Locale.forLanguageTag(language));
                Path bundle = work.resolve(language).resolve("bundle.tar");
                ModuleRun split = kit.runYaml("""
                        manifests: ["${registry}/tools/toolbox:2.1"]
                        dest: "archive://%s"
                        max_part_size: 64KiB
                        auths: [{registry: "${registry}", plain_http: true}]
                        """.formatted(bundle));
                assertEquals("success", split.result().stdout(), split.result().error());
                try (Stream<Path> files = Files.list(bundle.getParent())) {
                    List<String> names = files.map(f -> f.getFileName().toString()).sorted().toList();
                    assertTrue(names.contains("bundle.tar.part-0001"), language + ": " + names);
                    assertTrue(names.stream().allMatch(n -> n.matches("bundle\\.tar\\.(part-[0-9]{4}|sha256)")), language + ": " + names);
                }
                assertTrue(Files.readString(bundle.resolveSibling("bundle.tar.sha256")).contains("  bundle.tar.part-0001\n"), language);
            }
        } finally {
            Locale.setDefault(before);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> images(ModuleRun run) {
        return (List<Map<String, Object>>) run.registered().get("images");
    }

    @Test
    void pullingEveryPlatformKeepsEveryManifestByteExact() throws Exception {
        ModuleRun pulled = kit.runYaml("""
                pull:
                  manifests: ["${registry}/tools/toolbox:2.1", "${registry}/library/static:1.0"]
                  images_dir: "%s"
                  auths: [{repo: "${registry}", plain_http: true}]
                """.formatted(work.resolve("all")));
        assertEquals("success", pulled.result().stdout(), pulled.result().error());
        Path root = work.resolve("all/" + registry.hostPort());
        assertArrayEquals(Files.readAllBytes(SAMPLES.resolve("demo.local/tools/toolbox/manifests/2.1")),
                Files.readAllBytes(root.resolve("tools/toolbox/manifests/2.1")));
        assertArrayEquals(Files.readAllBytes(SAMPLES.resolve("demo.local/library/static/manifests/1.0")),
                Files.readAllBytes(root.resolve("library/static/manifests/1.0")));
        try (Stream<Path> blobs = Files.list(work.resolve("all/blobs"))) {
            assertTrue(blobs.allMatch(b -> b.getFileName().toString().startsWith("sha256:")));
        }
    }

    @Test
    void aSecondRepositoryOfTheSameRegistryGetsMountsAndANamespaceOverride() {
        ModuleRun copied = kit.runYaml("""
                manifests: ["${registry}/library/hello:1.0"]
                src: "oci://${module.image.reference.registry}/${module.image.reference.repository}:${module.image.reference.reference}"
                dest: "oci://${module.image.reference.registry}/${module.image.reference.repository}:${module.image.reference.reference}"
                namespace_override: mirror
                auths: [{registry: "${registry}", plain_http: true}]
                """);
        assertEquals("success", copied.result().stdout(), copied.result().error());
        @SuppressWarnings("unchecked")
        Map<String, Object> image = ((List<Map<String, Object>>) copied.registered().get("images")).get(0);
        assertEquals("oci://" + registry.hostPort() + "/mirror/hello:1.0", image.get("destination"));
        assertEquals(0L, image.get("blobs_copied"), "every blob exists in the source repository of the same registry");
    }

    @Test
    void oneMissingImageFailsAndTheOthersAreCopied() {
        ModuleRun run = kit.runYaml("""
                manifests: ["${registry}/library/hello:1.0", "${registry}/library/nothing:9"]
                dest: "oci-layout://%s"
                auths: [{registry: "${registry}", plain_http: true}]
                """.formatted(work.resolve("layout")));
        assertEquals("failed", run.result().stdout());
        assertEquals(1L, run.result().data().get("images_copied"));
        assertTrue(run.result().error().contains("library/nothing:9"), run.result().error());
        assertTrue(Files.exists(work.resolve("layout/index.json")));
    }

    @Test
    void aPlaybookRegistersTheResultAndALaterTaskReadsTheDigest() {
        CliRun run = PlaybookRunner.withModules(new ImageModule(new RealTargets())).runYaml(work, """
                - hosts: localhost
                  tasks:
                    - name: Pull hello
                      image:
                        pull:
                          manifests: ["${registry}/library/hello:1.0"]
                          images_dir: "${dir}"
                          platform: linux/amd64
                          auths: [{repo: "${registry}", plain_http: true}]
                      register: pulled
                    - debug:
                        msg: "digest=${pulled.images[0].digest} copied=${pulled.images_copied}"
                """, "-e", "registry=" + registry.hostPort(), "-e", "dir=" + work.resolve("pb"));
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.stdout().contains("digest=sha256:") && run.stdout().contains("copied=1"), run.stdout());
    }

    @Test
    void anImagePulledByDigestIsStoredByDigestAndPushedAgainByDigest() throws Exception {
        String digest = Digest.sha256Of(Files.readAllBytes(SAMPLES.resolve("demo.local/library/hello/manifests/1.0"))).toString();
        Path dir = work.resolve("by-digest");
        ModuleRun pulled = kit.withVariable("digest", digest).runYaml("""
                pull:
                  manifests: ["${registry}/library/hello@${digest}"]
                  images_dir: "%s"
                  auths: [{repo: "${registry}", plain_http: true}]
                """.formatted(dir));
        assertEquals("success", pulled.result().stdout(), pulled.result().error());
        assertTrue(Files.exists(dir.resolve(registry.hostPort() + "/library/hello/manifests/" + digest)));
        ModuleRun pushed = kit.runYaml("""
                push:
                  images_dir: "%s"
                  dest: "${registry}/again/${module.image.src.reference.repository}:${module.image.src.reference.reference}"
                  auths: [{repo: "${registry}", plain_http: true}]
                """.formatted(dir));
        assertEquals("success", pushed.result().stdout(), pushed.result().error());
        @SuppressWarnings("unchecked")
        Map<String, Object> image = ((List<Map<String, Object>>) pushed.registered().get("images")).get(0);
        assertEquals("oci://" + registry.hostPort() + "/again/library/hello@" + digest, image.get("destination"));
        assertEquals(digest, Digest.sha256Of(skopeoRaw(registry.hostPort() + "/again/library/hello@" + digest)).toString());
    }

    @Test
    void twoImagesFailingForDifferentReasonsAreBothListedAndTheRestIsCopied() {
        ModuleRun run = kit.runYaml("""
                manifests: ["${registry}/library/hello:1.0", "${registry}/library/absent:1", "${registry}/library/static:1.0"]
                dest: "local://%s"
                platform: linux/arm64
                auths: [{registry: "${registry}", plain_http: true}]
                """.formatted(work.resolve("mixed")));
        assertEquals("failed", run.result().stdout());
        assertEquals(1L, run.result().data().get("images_copied"));
        assertEquals(2L, run.result().data().get("images_failed"));
        String error = run.result().error();
        assertTrue(error.startsWith("2 of 3 images failed:"), error);
        assertTrue(error.contains("library/absent:1 was not found"), error);
        assertTrue(error.contains("library/static:1.0 has no image for [linux/arm64]"), error);
    }

    @Test
    void aBlobSharedByImagesIsDownloadedOnce() throws IOException {
        ModuleRun run = kit.runYaml("""
                src: "local://${samples}"
                dest: "local://%s"
                """.formatted(work.resolve("dedupe")));
        assertEquals("success", run.result().stdout(), run.result().error());
        long copied = (Long) run.result().data().get("blobs_copied");
        long skipped = (Long) run.result().data().get("blobs_skipped");
        try (Stream<Path> blobs = Files.list(SAMPLES.resolve("blobs"))) {
            assertEquals(blobs.count(), copied, "each distinct blob of the samples is written once");
        }
        assertTrue(skipped > 0, "the samples share blobs between images: " + skipped);
    }

    private static byte[] skopeoRaw(String image) throws Exception {
        Process process = new ProcessBuilder(Programs.require("skopeo"), "inspect", "--raw", "--tls-verify=false", "docker://" + image)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = process.getInputStream().readAllBytes();
        assertEquals(0, process.waitFor(), "skopeo inspect " + image);
        return out;
    }

    private static List<String> childDigests(byte[] index) throws IOException {
        var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(index);
        return node.has("manifests")
                ? java.util.stream.StreamSupport.stream(node.get("manifests").spliterator(), false).map(m -> m.get("digest").asText()).toList()
                : List.of();
    }
}
