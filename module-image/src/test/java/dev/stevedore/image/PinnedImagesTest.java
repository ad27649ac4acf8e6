package dev.stevedore.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.engine.testkit.ModuleRun;
import dev.stevedore.engine.testkit.ModuleTestKit;
import dev.stevedore.image.copy.PlatformFilter;
import dev.stevedore.image.oci.Manifest;
import dev.stevedore.image.oci.MediaTypes;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.testsupport.FaultProxy;
import dev.stevedore.testsupport.RecordedRequest;
import dev.stevedore.testsupport.RegistryServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A re-run of a pull of images pinned by digest asks the source nothing when the destination holds those
 * digests, and one by a tag the destination holds asks it a HEAD only, which spares a metered registry's pulls
 * (Docker Hub counts each GET of a manifest), also for a selection of platforms, whose index names the index it
 * was taken from; another selection, and a destination copy that is not whole, is asked from the source as before.
 * The source is the real CNCF registry, behind a proxy that records every request.
 */
class PinnedImagesTest {

    private static final Path SAMPLES = Path.of("..", "src", "demo", "sample-images").toAbsolutePath().normalize();

    @TempDir
    static Path work;

    static RegistryServer origin;
    static FaultProxy proxy;
    static ModuleTestKit kit;
    static String helloDigest;
    static String staticDigest;

    @BeforeAll
    static void seed() throws Exception {
        origin = RegistryServer.start();
        proxy = FaultProxy.start(origin.baseUri());
        kit = ModuleTestKit.of(new ImageModule(new RealTargets()))
                .withVariable("origin", origin.hostPort()).withVariable("proxy", proxy.hostPort())
                .withVariable("work", work.toString()).withVariable("samples", SAMPLES.toString());
        ModuleRun seeded = kit.runYaml("""
                push:
                  images_dir: "${samples}"
                  dest: "${origin}/${module.image.src.reference.repository}:${module.image.src.reference.reference}"
                  auths: [{repo: "${origin}", plain_http: true}]
                """);
        assertFalse(seeded.failed(), seeded.result().error());
        helloDigest = Digest.sha256Of(Files.readAllBytes(SAMPLES.resolve("demo.local/library/hello/manifests/1.0"))).toString();
        staticDigest = Digest.sha256Of(Files.readAllBytes(SAMPLES.resolve("demo.local/library/static/manifests/1.0"))).toString();
    }

    @AfterAll
    static void stop() {
        proxy.close();
        origin.close();
    }

    @Test
    void aPinnedReRunAsksTheSourceNothingAndATagOrAMissingCopyIsAskedAsBefore() throws Exception {
        String pinned = """
                pull:
                  images_dir: "${work}/%s"
                  manifests: ["${proxy}/library/hello:1.0@%s", "${proxy}/library/static@%s"]
                  auths: [{repo: "${proxy}", plain_http: true}]
                """;
        ModuleRun first = kit.runYaml(pinned.formatted("pinned", helloDigest, staticDigest));
        assertEquals("success", first.result().stdout(), first.result().error());
        assertEquals(2L, first.result().data().get("images_copied"));

        int before = proxy.requests().size();
        ModuleRun again = kit.runYaml(pinned.formatted("pinned", helloDigest, staticDigest));
        assertEquals("success", again.result().stdout(), again.result().error());
        assertFalse(again.result().changed());
        assertEquals(2L, again.result().data().get("images_unchanged"));
        assertEquals(List.of(), proxy.requests().subList(before, proxy.requests().size()), "the source was not asked");
        assertTrue(again.logContains("is pinned to a digest that KubeKey images directory"), again.log().toString());

        // By tag, the source says what the tag points at now, with a HEAD, which Docker Hub does not count as a pull.
        before = proxy.requests().size();
        ModuleRun tagged = kit.runYaml("""
                pull:
                  images_dir: "${work}/pinned"
                  manifests: ["${proxy}/library/hello:1.0"]
                  auths: [{repo: "${proxy}", plain_http: true}]
                """);
        assertEquals("success", tagged.result().stdout(), tagged.result().error());
        assertFalse(tagged.result().changed());
        assertEquals(List.of("HEAD /v2/library/hello/manifests/1.0"),
                asked(before).stream().map(r -> r.method() + " " + r.path()).toList());
        assertTrue(tagged.logContains("library/hello:1.0 points at " + helloDigest + ", which KubeKey images directory"),
                tagged.log().toString());

        // A selection of platforms is stored as an index of its own, which names the index it was selected from.
        String selected = """
                pull:
                  images_dir: "${work}/%s"
                  manifests: ["%s"]
                  platform: [%s]
                  auths: [{repo: "${proxy}", plain_http: true}]
                """;
        ModuleRun amd64 = kit.runYaml(selected.formatted("amd64", "${proxy}/library/hello:1.0@" + helloDigest, "linux/amd64"));
        assertEquals("success", amd64.result().stdout(), amd64.result().error());
        before = proxy.requests().size();
        ModuleRun amd64Again = kit.runYaml(selected.formatted("amd64", "${proxy}/library/hello:1.0@" + helloDigest, "linux/amd64"));
        assertEquals("success", amd64Again.result().stdout(), amd64Again.result().error());
        assertFalse(amd64Again.result().changed());
        assertEquals(List.of(), asked(before), "a pinned selection's re-run asks the source nothing either");
        assertTrue(amd64Again.logContains("holds this selection of platforms"), amd64Again.log().toString());

        // By tag, one HEAD; the re-run registers the digest, media type and platforms the first run did.
        ModuleRun byTag = kit.runYaml(selected.formatted("amd64-tag", "${proxy}/library/hello:1.0", "linux/amd64"));
        assertEquals("success", byTag.result().stdout(), byTag.result().error());
        Path tagFile = work.resolve("amd64-tag/" + proxy.hostPort() + "/library/hello/manifests/1.0");
        assertEquals(Optional.of(Digest.parse(helloDigest)), PlatformFilter.filteredFrom(Manifest.of(Files.readAllBytes(tagFile),
                MediaTypes.OCI_INDEX)), "the selection names the index it was taken from");
        before = proxy.requests().size();
        ModuleRun byTagAgain = kit.runYaml(selected.formatted("amd64-tag", "${proxy}/library/hello:1.0", "linux/amd64"));
        assertEquals("success", byTagAgain.result().stdout(), byTagAgain.result().error());
        assertFalse(byTagAgain.result().changed());
        assertEquals(List.of("HEAD /v2/library/hello/manifests/1.0"), asked(before).stream().map(r -> r.method() + " " + r.path()).toList());
        assertEquals(images(byTag), images(byTagAgain), "the re-run registers what the first run did");

        // Another selection for the same directory needs the source's index: it is asked, and the new selection written.
        before = proxy.requests().size();
        ModuleRun both = kit.runYaml(selected.formatted("amd64-tag", "${proxy}/library/hello:1.0", "linux/amd64, linux/arm64"));
        assertEquals("success", both.result().stdout(), both.result().error());
        assertTrue(both.result().changed());
        assertTrue(asked(before).stream().anyMatch(r -> r.method().equals("GET") && r.path().equals("/v2/library/hello/manifests/1.0")),
                "the source's index was read: " + asked(before));
        assertEquals(helloDigest, Digest.sha256Of(Files.readAllBytes(tagFile)).toString(),
                "both platforms are all the index has: it is kept as it is");

        // A destination copy that lost a child manifest is not read: the source is asked, as before this shortcut.
        Path repository = work.resolve("pinned/" + proxy.hostPort() + "/library/hello/manifests");
        Path child;
        try (var files = Files.list(repository)) {
            child = files.filter(f -> f.getFileName().toString().startsWith("sha256:")).filter(f -> !f.getFileName().toString()
                    .equals(helloDigest)).findFirst().orElseThrow();
        }
        Files.delete(child);
        before = proxy.requests().size();
        ModuleRun repaired = kit.runYaml(pinned.formatted("pinned", helloDigest, staticDigest));
        assertEquals("success", repaired.result().stdout(), repaired.result().error());
        assertTrue(asked(before).stream().anyMatch(r -> r.path().equals("/v2/library/hello/manifests/" + helloDigest)),
                "the source was asked for the image whose copy is not whole: " + asked(before));
        assertFalse(asked(before).stream().anyMatch(r -> r.path().startsWith("/v2/library/static/")), "but not for the other");
    }

    @Test
    void aTagCopiedIntoARegistryIsAskedWithOneHeadOnTheReRunAndTheImageReadFromTheMirror() throws Exception {
        try (RegistryServer mirror = RegistryServer.start()) {
            String task = """
                    manifests: ["${proxy}/library/hello:1.0"]
                    dest: "oci://${mirror}/copied/${module.image.reference.repository}:${module.image.reference.reference}"
                    auths: [{registry: "${proxy}", plain_http: true}, {registry: "${mirror}", plain_http: true}]
                    """;
            ModuleTestKit toMirror = kit.withVariable("mirror", mirror.hostPort());
            ModuleRun first = toMirror.runYaml(task);
            assertEquals("success", first.result().stdout(), first.result().error());
            assertEquals(1L, first.result().data().get("images_copied"));

            int before = proxy.requests().size();
            ModuleRun again = toMirror.runYaml(task);

            assertEquals("success", again.result().stdout(), again.result().error());
            assertFalse(again.result().changed());
            assertEquals(1L, again.result().data().get("images_unchanged"));
            assertEquals(List.of("HEAD /v2/library/hello/manifests/1.0"),
                    asked(before).stream().map(r -> r.method() + " " + r.path()).toList());
            assertTrue(again.logContains("library/hello:1.0 points at " + helloDigest + ", which registry holds"), again.log().toString());

            // A selection of platforms: the mirror's index is read to see which index it was taken from.
            String arm64 = task.replace("/copied/", "/arm64/") + "platform: [linux/arm64]\n";
            ModuleRun selected = toMirror.runYaml(arm64);
            assertEquals("success", selected.result().stdout(), selected.result().error());
            before = proxy.requests().size();
            ModuleRun selectedAgain = toMirror.runYaml(arm64);
            assertEquals("success", selectedAgain.result().stdout(), selectedAgain.result().error());
            assertFalse(selectedAgain.result().changed());
            assertEquals(List.of("HEAD /v2/library/hello/manifests/1.0"),
                    asked(before).stream().map(r -> r.method() + " " + r.path()).toList());
        }
    }

    @Test
    void aSelectionWhoseTagMovedAtTheSourceIsReadFromTheSourceAgain() throws Exception {
        String point = """
                manifests: ["${origin}/%s"]
                dest: "oci://${origin}/moving/app:1"
                auths: [{registry: "${origin}", plain_http: true}]
                """;
        String pull = """
                pull:
                  images_dir: "${work}/moving"
                  manifests: ["${proxy}/moving/app:1"]
                  platform: [linux/amd64]
                  auths: [{repo: "${proxy}", plain_http: true}]
                """;
        assertEquals("success", kit.runYaml(point.formatted("library/hello:1.0")).result().stdout());
        ModuleRun first = kit.runYaml(pull);
        assertEquals("success", first.result().stdout(), first.result().error());

        assertEquals("success", kit.runYaml(point.formatted("tools/toolbox:2.1")).result().stdout());
        int before = proxy.requests().size();
        ModuleRun moved = kit.runYaml(pull);

        assertEquals("success", moved.result().stdout(), moved.result().error());
        assertTrue(moved.result().changed(), "the tag points at another index now");
        assertTrue(asked(before).stream().anyMatch(r -> r.method().equals("GET") && r.path().equals("/v2/moving/app/manifests/1")),
                "the source's new index was read: " + asked(before));
        byte[] stored = Files.readAllBytes(work.resolve("moving/" + proxy.hostPort() + "/moving/app/manifests/1"));
        String toolbox = Digest.sha256Of(Files.readAllBytes(SAMPLES.resolve("demo.local/tools/toolbox/manifests/2.1"))).toString();
        Digest from = PlatformFilter.filteredFrom(Manifest.of(stored, MediaTypes.OCI_INDEX)).orElse(Digest.sha256Of(stored));
        assertEquals(toolbox, from.toString(), "the stored selection is taken from the index the tag points at now");
    }

    /** What the registered images say of what was copied, apart from what this run did (status, counts). */
    @SuppressWarnings("unchecked")
    private static Object images(ModuleRun run) {
        return ((List<Map<String, Object>>) run.result().data().get("images")).stream().map(image -> {
            Map<String, Object> kept = new TreeMap<>(image);
            kept.keySet().retainAll(List.of("source", "destination", "digest", "media_type", "platforms"));
            return kept;
        }).toList();
    }

    private static List<RecordedRequest> asked(int from) {
        return proxy.requests().subList(from, proxy.requests().size());
    }
}
