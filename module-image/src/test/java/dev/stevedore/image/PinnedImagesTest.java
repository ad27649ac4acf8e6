package dev.stevedore.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.engine.testkit.ModuleRun;
import dev.stevedore.engine.testkit.ModuleTestKit;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.testsupport.FaultProxy;
import dev.stevedore.testsupport.RecordedRequest;
import dev.stevedore.testsupport.RegistryServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A re-run of a pull of images pinned by digest asks the source nothing when the destination holds those
 * digests, and one by a tag the destination holds asks it a HEAD only, which spares a metered registry's pulls
 * (Docker Hub counts each GET of a manifest); a selection of platforms, and a destination copy that is not whole,
 * is asked from the source as before. The source is the real CNCF registry, behind a proxy that records every
 * request.
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

        // A selection of platforms is stored as an index of its own: the source is asked.
        before = proxy.requests().size();
        ModuleRun amd64 = kit.runYaml("""
                pull:
                  images_dir: "${work}/amd64"
                  manifests: ["${proxy}/library/hello:1.0@%s"]
                  platform: [linux/amd64]
                  auths: [{repo: "${proxy}", plain_http: true}]
                """.formatted(helloDigest));
        assertEquals("success", amd64.result().stdout(), amd64.result().error());
        int afterFirst = proxy.requests().size();
        assertEquals("success", kit.runYaml("""
                pull:
                  images_dir: "${work}/amd64"
                  manifests: ["${proxy}/library/hello:1.0@%s"]
                  platform: [linux/amd64]
                  auths: [{repo: "${proxy}", plain_http: true}]
                """.formatted(helloDigest)).result().stdout());
        assertTrue(proxy.requests().size() > afterFirst, "a platform selection's re-run asks the source");

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
        }
    }

    private static List<RecordedRequest> asked(int from) {
        return proxy.requests().subList(from, proxy.requests().size());
    }
}
