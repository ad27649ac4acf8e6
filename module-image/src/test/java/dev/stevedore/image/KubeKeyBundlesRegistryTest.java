package dev.stevedore.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.engine.testkit.ModuleRun;
import dev.stevedore.engine.testkit.ModuleTestKit;
import dev.stevedore.image.bundle.IntegrityManifest;
import dev.stevedore.image.oci.Manifest;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.testing.KubeKeyFixtures;
import dev.stevedore.image.testing.KubeKeyFixtures.Image;
import dev.stevedore.testsupport.RegistryServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bundles as the real KubeKey writes them, made by hand file by file ({@link KubeKeyFixtures}): a Docker Hub
 * image in the first generation's directory ({@code registry-1.docker.io/library/nginx/manifests/1.27}) and
 * in today's ({@code manifests/sha256:<hex>} plus {@code manifests/layout}). Each is pushed to the real
 * registry, pulled back in both directory formats, pushed from those to a second registry, the digests
 * compared, and every step run again to see it unchanged. Then the edges of issue 14 items 5, 6 and 9:
 * the stale tag file, the generation argument, and a source with no image.
 */
class KubeKeyBundlesRegistryTest {

    private static final String NGINX = "registry-1.docker.io/library/nginx";
    private static final String PUSH = """
            push:
              images_dir: "%s"
              src_pattern: "%s"
              dest: "${registry}/%s/${module.image.src.reference.repository}:${module.image.src.reference.reference}"
              auths: [{repo: "${registry}", plain_http: true}]
            """;

    static RegistryServer first;
    static RegistryServer second;

    @TempDir
    Path work;

    private final Image nginx127 = KubeKeyFixtures.dockerHubIndex(127);
    private final Image nginxLatest = KubeKeyFixtures.dockerHubIndex(128);

    @BeforeAll
    static void startRegistries() throws IOException {
        first = RegistryServer.start();
        second = RegistryServer.start();
    }

    @AfterAll
    static void stopRegistries() {
        first.close();
        second.close();
    }

    private static ModuleTestKit kit(RegistryServer registry) {
        return ModuleTestKit.of(new ImageModule(new RealTargets())).withVariable("registry", registry.hostPort());
    }

    @Test
    void aFirstGenerationBundleOfADockerHubImageRoundTripsByteExact() throws Exception {
        Path bundle = work.resolve("bundle");
        KubeKeyFixtures.writeFirstGeneration(bundle, NGINX, "1.27", nginx127);
        KubeKeyFixtures.writeFirstGeneration(bundle, "quay.io/prometheus/prometheus", "v2.45.0", KubeKeyFixtures.dockerHubIndex(3));

        // The README's pattern matches the original's registry-1.docker.io folder.
        ModuleRun pushed = succeedsTwice(kit(first), PUSH.formatted(bundle, "^docker.io/library/.*", "v1"), 1);
        assertEquals(List.of("oci://" + first.hostPort() + "/v1/library/nginx:1.27"), destinations(pushed));
        assertArrayEquals(nginx127.root().bytes(), skopeoRaw(first, "v1/library/nginx:1.27"));
        for (Manifest child : nginx127.children()) {
            assertEquals(child.digest(), Digest.sha256Of(skopeoRaw(first, "v1/library/nginx@" + child.digest())));
        }

        Path pulledKubeKey = work.resolve("pulled");
        Path pulledOci = work.resolve("pulled-oci");
        for (String dest : List.of("local://" + pulledKubeKey, "oci-layout://" + pulledOci)) {
            succeedsTwice(kit(first), """
                    manifests: ["${registry}/v1/library/nginx:1.27"]
                    dest: "%s"
                    auths: [{registry: "${registry}", plain_http: true}]
                    """.formatted(dest), 1);
        }
        Path expected = work.resolve("expected");
        KubeKeyFixtures.writeFirstGeneration(expected, first.hostPort() + "/v1/library/nginx", "1.27", nginx127);
        assertSameFiles(expected, pulledKubeKey);

        for (Map.Entry<String, String> source : Map.of("from-dir", "local://" + pulledKubeKey, "from-oci", "oci-layout://" + pulledOci).entrySet()) {
            succeedsTwice(kit(second), """
                    src: "%s"
                    dest: "oci://${registry}/v1-%s/${module.image.reference.repository}:${module.image.reference.reference}"
                    auths: [{registry: "${registry}", plain_http: true}]
                    """.formatted(source.getValue(), source.getKey()), 1);
        }
        assertArrayEquals(nginx127.root().bytes(), skopeoRaw(second, "v1-from-dir/v1/library/nginx:1.27"));
        assertArrayEquals(nginx127.root().bytes(), skopeoRaw(second, "v1-from-oci/v1/library/nginx:1.27"));
    }

    @Test
    void aDockerHubBundleCopiedBetweenDirectoriesKeepsTheOriginalsFolderAndBytes() throws Exception {
        Path bundle = work.resolve("bundle");
        KubeKeyFixtures.writeFirstGeneration(bundle, NGINX, "1.27", nginx127);
        Path copy = work.resolve("copy");

        succeedsTwice(kit(first), """
                src: "local://%s"
                dest: "local://%s"
                pattern: "^registry-1.docker.io/library/nginx:"
                """.formatted(bundle, copy), 1);

        assertSameFiles(bundle, copy);
    }

    @Test
    void aBundleOfTodaysKubeKeyRoundTripsAndIsWrittenBackInItsGeneration() throws Exception {
        Path bundle = work.resolve("bundle");
        KubeKeyFixtures.writeTodays(bundle, NGINX, Map.of("1.27", nginx127, "latest", nginxLatest));

        ModuleRun pushed = succeedsTwice(kit(first), PUSH.formatted(bundle, "^registry-1.docker.io/library/nginx:", "v2"), 2);
        assertEquals(List.of("oci://" + first.hostPort() + "/v2/library/nginx:1.27", "oci://" + first.hostPort() + "/v2/library/nginx:latest"),
                destinations(pushed));
        assertArrayEquals(nginx127.root().bytes(), skopeoRaw(first, "v2/library/nginx:1.27"));
        assertArrayEquals(nginxLatest.root().bytes(), skopeoRaw(first, "v2/library/nginx:latest"));

        Path pulled = work.resolve("pulled");
        succeedsTwice(kit(first), """
                pull:
                  manifests: ["${registry}/v2/library/nginx:1.27", "${registry}/v2/library/nginx:latest"]
                  images_dir: "%s"
                  layout: kubekey-v2
                  auths: [{repo: "${registry}", plain_http: true}]
                """.formatted(pulled), 2);
        Path expected = work.resolve("expected");
        KubeKeyFixtures.writeTodays(expected, first.hostPort() + "/v2/library/nginx", Map.of("1.27", nginx127, "latest", nginxLatest));
        assertSameFiles(expected, pulled);

        succeedsTwice(kit(second), PUSH.formatted(pulled, "nginx", "v2"), 2);
        assertArrayEquals(nginx127.root().bytes(), skopeoRaw(second, "v2/v2/library/nginx:1.27"));
        assertArrayEquals(nginxLatest.root().bytes(), skopeoRaw(second, "v2/v2/library/nginx:latest"));

        // Copied into a new directory without the argument, it follows what that directory uses: nothing, so
        // the first generation; with it, the bytes are today's KubeKey's own.
        Path asToday = work.resolve("as-today");
        succeedsTwice(kit(first), """
                src: "local://%s"
                dest: "local://%s"
                layout: kubekey-v2
                """.formatted(bundle, asToday), 2);
        assertSameFiles(bundle, asToday);
        Path asFirst = work.resolve("as-first");
        succeedsTwice(kit(first), "src: \"local://%s\"\ndest: \"local://%s\"\n".formatted(bundle, asFirst), 2);
        assertArrayEquals(nginx127.root().bytes(), Files.readAllBytes(asFirst.resolve(NGINX + "/manifests/1.27")));
        assertFalse(Files.exists(asFirst.resolve(NGINX + "/manifests/layout")));
    }

    /**
     * An earlier Stevedore wrote a tag file next to the {@code layout} entry; today's KubeKey re-pulled the tag and
     * updated only {@code layout}. The push must send what {@code layout} names, never the stale file.
     */
    @Test
    void aStaleTagFileBesideALayoutFileIsNeverPushed() throws Exception {
        Path bundle = work.resolve("bundle");
        KubeKeyFixtures.writeFirstGeneration(bundle, NGINX, "latest", nginx127);
        Files.delete(bundle.resolve(NGINX + "/manifests/latest"));
        KubeKeyFixtures.writeTodays(bundle, NGINX, Map.of("latest", nginxLatest));
        Files.write(bundle.resolve(NGINX + "/manifests/latest"), nginx127.root().bytes()); // the stale tag file

        succeedsTwice(kit(first), """
                push:
                  images_dir: "%s"
                  dest: "${registry}/stale/nginx:${module.image.src.reference.reference}"
                  auths: [{repo: "${registry}", plain_http: true}]
                """.formatted(bundle), 1);

        assertArrayEquals(nginxLatest.root().bytes(), skopeoRaw(first, "stale/nginx:latest"));
    }

    @Test
    void pushingFromAnImagesDirectoryThatHoldsNoImageFailsNamingTheFolderAndWhatWasLookedFor() throws Exception {
        Path empty = Files.createDirectories(work.resolve("images/blobs"));
        ModuleRun run = kit(first).runYaml(PUSH.formatted(empty.getParent(), ".*", "empty"));

        assertEquals("failed", run.result().stdout(), run.result().error());
        String error = run.result().error();
        assertTrue(error.contains("the source directory " + empty.getParent() + " holds no image"), error);
        assertTrue(error.contains("<registry>/<repository>/manifests/<tag>") && error.contains("check images_dir"), error);

        ModuleRun oci = kit(first).runYaml("""
                src: "oci-layout://%s"
                dest: "oci://${registry}/x/${module.image.reference.repository}:${module.image.reference.reference}"
                """.formatted(empty.getParent()));
        assertEquals("failed", oci.result().stdout());
        assertTrue(oci.result().error().contains("holds no image (looked for an OCI image layout"), oci.result().error());

        // skopeo's oci:DIR:1.0 names its entry "1.0": the error says why such an entry is not listed.
        Path bareTags = Files.createDirectories(work.resolve("bare-tags"));
        Files.writeString(bareTags.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Files.writeString(bareTags.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
                + "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:" + "1".repeat(64) + "\",\"size\":555,"
                + "\"annotations\":{\"org.opencontainers.image.ref.name\":\"1.0\"}}]}");
        ModuleRun ofBareTags = kit(first).runYaml("""
                src: "oci-layout://%s"
                dest: "oci://${registry}/x/${module.image.reference.repository}:${module.image.reference.reference}"
                """.formatted(bareTags));
        assertEquals("failed", ofBareTags.result().stdout());
        assertTrue(ofBareTags.result().error().contains(bareTags + " holds no image (looked for an OCI image layout: the"
                + " entries of index.json whose annotation org.opencontainers.image.ref.name is a full reference"
                + " (registry/repository:tag), not a bare tag such as skopeo's oci:DIR:1.0 writes)"), ofBareTags.result().error());
    }

    @Test
    void aPatternMatchingNoneOfTheImagesIsASkipWithAWarningNamingItAndTheCount() throws Exception {
        Path bundle = work.resolve("bundle");
        KubeKeyFixtures.writeFirstGeneration(bundle, NGINX, "1.27", nginx127);
        KubeKeyFixtures.writeFirstGeneration(bundle, NGINX, "latest", nginxLatest);

        ModuleRun run = kit(first).runYaml(PUSH.formatted(bundle, "^quay.io/", "none"));

        assertEquals("skip", run.result().stdout(), run.result().error());
        assertFalse(run.result().changed());
        assertTrue(run.logContains("warn: push: src_pattern '^quay.io/' matches none of the 2 images in " + bundle), run.log().toString());
    }

    /** Runs the task, expects it to copy {@code images} images, runs it again and expects all of them unchanged. */
    private static ModuleRun succeedsTwice(ModuleTestKit kit, String yaml, long images) {
        ModuleRun once = kit.runYaml(yaml);
        assertEquals("success", once.result().stdout(), once.result().error());
        assertEquals(images, once.result().data().get("images_copied"), once.result().data().toString());
        ModuleRun again = kit.runYaml(yaml);
        assertEquals("success", again.result().stdout(), again.result().error());
        assertEquals(images, again.result().data().get("images_unchanged"), again.result().data().toString());
        assertFalse(again.result().changed());
        return once;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> destinations(ModuleRun run) {
        return ((List<Map<String, Object>>) run.registered().get("images")).stream().map(i -> i.get("destination")).toList();
    }

    private static byte[] skopeoRaw(RegistryServer registry, String image) throws Exception {
        Process process = new ProcessBuilder("skopeo", "inspect", "--raw", "--tls-verify=false", "docker://" + registry.hostPort() + "/" + image)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = process.getInputStream().readAllBytes();
        assertEquals(0, process.waitFor(), "skopeo inspect " + image);
        return out;
    }

    /** Same files, same bytes, same modes: what the original would find. */
    private static void assertSameFiles(Path expected, Path actual) throws IOException {
        assertEquals(files(expected), files(actual));
        for (String file : files(expected)) {
            assertArrayEquals(Files.readAllBytes(expected.resolve(file)), Files.readAllBytes(actual.resolve(file)), file);
            assertEquals(PosixFilePermissions.toString(Files.getPosixFilePermissions(expected.resolve(file))),
                    PosixFilePermissions.toString(Files.getPosixFilePermissions(actual.resolve(file))), file);
        }
    }

    /** The files KubeKey writes: Stevedore's integrity manifest, which KubeKey ignores, is left out. */
    private static Set<String> files(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(Files::isRegularFile).map(p -> root.relativize(p).toString())
                    .filter(name -> !name.equals(IntegrityManifest.FILE_NAME)).collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
