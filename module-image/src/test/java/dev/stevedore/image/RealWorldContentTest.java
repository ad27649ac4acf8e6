package dev.stevedore.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stevedore.engine.testkit.ModuleRun;
import dev.stevedore.engine.testkit.ModuleTestKit;
import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.oci.Manifest;
import dev.stevedore.image.oci.MediaTypes;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.registry.RegistryAuth;
import dev.stevedore.image.registry.MachineConfig;
import dev.stevedore.image.registry.RegistrySettings;
import dev.stevedore.image.registry.RetryLimits;
import dev.stevedore.image.registry.RegistryTarget;
import dev.stevedore.image.testing.RealWorldImages;
import dev.stevedore.image.testing.RealWorldImages.Shape;
import dev.stevedore.testsupport.RegistryServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What real bundles hold (issue 14), through the module against the real CNCF registry: a buildx index
 * with attestations, a Windows image with a foreign layer, an image with a non-distributable layer, Helm
 * charts with and without mediaType, an image-spec 1.0 index, a nested index, an SPDX artifact and a cosign
 * signature, each a byte-exact document built by {@link RealWorldImages}. The origin registry serves them;
 * the foreign layers live only at their URLs (another repository of the origin, as MCR serves Windows base
 * layers from its own blob URLs). The mirror is a second registry configured to accept layer URLs; the
 * strict one has the CNCF registry's default configuration.
 */
class RealWorldContentTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACCEPT = String.join(", ", MediaTypes.OCI_INDEX, MediaTypes.OCI_MANIFEST,
            MediaTypes.DOCKER_MANIFEST_LIST, MediaTypes.DOCKER_MANIFEST);

    static RegistryServer origin;
    static RegistryServer mirror;
    static RegistryServer strict;
    static List<Shape> shapes;
    static ModuleTestKit kit;
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path work;

    @BeforeAll
    static void startRegistriesAndServeTheShapes() throws IOException {
        origin = RegistryServer.builder().allowManifestUrls("^http://127\\.0\\.0\\.1:").start();
        mirror = RegistryServer.builder().allowManifestUrls("^http://127\\.0\\.0\\.1:").start();
        strict = RegistryServer.start();
        shapes = new RealWorldImages().all(digest -> "http://" + origin.hostPort() + "/v2/base/layers/blobs/" + digest);
        RegistrySettings settings = RegistrySettings.defaults(List.of(RegistryAuth.of(origin.hostPort()).withPlainHttp(true)))
                .withLimits(new RetryLimits(Duration.ofSeconds(5), Duration.ofSeconds(20), 3, Duration.ofSeconds(10)))
                .withMachine(new MachineConfig(Map.of(), null));
        try (RegistryTarget target = new RegistryTarget(settings)) {
            for (Shape shape : shapes) {
                ImageReference image = ImageReference.parse(shape.reference(origin.hostPort()));
                ImageReference base = ImageReference.parse(origin.hostPort() + "/base/layers:any");
                for (Map.Entry<Digest, byte[]> blob : shape.blobs().entrySet()) {
                    target.writeBlob(image, new Descriptor("application/octet-stream", blob.getKey(), blob.getValue().length),
                            new ByteArrayInputStream(blob.getValue()));
                }
                for (Map.Entry<Digest, byte[]> blob : shape.foreign().entrySet()) {
                    target.writeBlob(base, new Descriptor("application/octet-stream", blob.getKey(), blob.getValue().length),
                            new ByteArrayInputStream(blob.getValue()));
                }
                for (Manifest child : shape.children()) {
                    target.writeManifest(image, child);
                }
                target.tag(image, shape.root());
            }
        }
        kit = ModuleTestKit.of(new ImageModule(new RealTargets()))
                .withVariable("origin", origin.hostPort()).withVariable("mirror", mirror.hostPort())
                .withVariable("strict", strict.hostPort());
    }

    @AfterAll
    static void stop() {
        for (RegistryServer registry : new RegistryServer[] {origin, mirror, strict}) {
            if (registry != null) {
                registry.close();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "oci-layout"})
    void everyShapeIsPulledIntoADirectoryAndPushedToASecondRegistryByteExactThenIsUnchanged(String format) throws Exception {
        Path dir = work.resolve(format);
        String pull = """
                manifests: %s
                dest: "%s://%s"
                auths: [{registry: "${origin}", plain_http: true}]
                """.formatted(references(shapes), format, dir);
        ModuleRun pulled = kit.runYaml(pull);
        assertEquals("success", pulled.result().stdout(), pulled.result().error());
        List<Map<String, Object>> images = images(pulled);
        for (int i = 0; i < shapes.size(); i++) {
            Shape shape = shapes.get(i);
            assertEquals("copied", images.get(i).get("status"), shape.name());
            assertEquals(shape.root().digest().toString(), images.get(i).get("digest"), shape.name());
            assertArrayEquals(shape.root().bytes(), stored(format, dir, shape, null), shape.name() + " is stored byte-exact");
            for (Manifest child : shape.children()) {
                assertArrayEquals(child.bytes(), stored(format, dir, shape, child.digest()), shape.name() + " child " + child.digest());
            }
        }
        assertEquals(List.of("linux/amd64", "linux/arm64"), images.get(0).get("platforms"), "unknown/unknown is not a platform");
        assertEquals(List.of("linux/amd64", "linux/arm64", "linux/s390x"), images.get(6).get("platforms"), "nested platforms are found");
        assertForeignLayersLeftOut(pulled, dir, format);

        String push = """
                src: "%s://%s"
                dest: "oci://${mirror}/%s/${module.image.reference.repository}:${module.image.reference.reference}"
                auths: [{registry: "${mirror}", plain_http: true}]
                """.formatted(format, dir, format);
        ModuleRun pushed = kit.runYaml(push);
        assertEquals("success", pushed.result().stdout(), pushed.result().error());
        assertEquals((long) shapes.size(), pushed.result().data().get("images_copied"),
                "every shape is listed in the directory, those without mediaType too");
        for (Shape shape : shapes) {
            String repository = format + "/" + shape.repository();
            assertArrayEquals(shape.root().bytes(), rawManifest(mirror, repository, shape.tag()), shape.name() + " in the mirror");
            for (Manifest child : shape.children()) {
                assertArrayEquals(child.bytes(), rawManifest(mirror, repository, child.digest().toString()), shape.name() + " child");
            }
        }
        assertEquals(2L, pushed.result().data().get("blobs_foreign"));

        for (String again : List.of(pull, push)) {
            ModuleRun rerun = kit.runYaml(again);
            assertEquals("success", rerun.result().stdout(), rerun.result().error());
            assertFalse(rerun.result().changed());
            assertEquals((long) shapes.size(), rerun.result().data().get("images_unchanged"));
        }
    }

    @Test
    void foreignLayersAskedForAreDownloadedFromTheirUrlsAndPushedWithTheImage() throws Exception {
        List<Shape> foreign = shapes.stream().filter(s -> !s.foreign().isEmpty()).toList();
        Path dir = work.resolve("include");
        ModuleRun pulled = kit.runYaml("""
                manifests: %s
                dest: "local://%s"
                foreign_layers: include
                auths: [{registry: "${origin}", plain_http: true}]
                """.formatted(references(foreign), dir));
        assertEquals("success", pulled.result().stdout(), pulled.result().error());
        assertEquals(0L, pulled.result().data().get("blobs_foreign"));
        String originLog = Files.readString(origin.logFile());
        for (Shape shape : foreign) {
            for (Map.Entry<Digest, byte[]> layer : shape.foreign().entrySet()) {
                assertArrayEquals(layer.getValue(), Files.readAllBytes(dir.resolve("blobs/" + layer.getKey())));
                assertTrue(originLog.contains("GET /v2/base/layers/blobs/" + layer.getKey()), "downloaded from its URL");
            }
        }

        ModuleRun pushed = kit.runYaml("""
                src: "local://%s"
                dest: "oci://${mirror}/include/${module.image.reference.repository}:${module.image.reference.reference}"
                auths: [{registry: "${mirror}", plain_http: true}]
                """.formatted(dir));
        assertEquals("success", pushed.result().stdout(), pushed.result().error());
        for (Shape shape : foreign) {
            assertArrayEquals(shape.root().bytes(), rawManifest(mirror, "include/" + shape.repository(), shape.tag()));
            for (Digest layer : shape.foreign().keySet()) {
                assertEquals(200, head(mirror, "/v2/include/" + shape.repository() + "/blobs/" + layer), "the layer went along");
            }
        }
    }

    @Test
    void aRegistryThatRefusesLayerUrlsFailsAtOnceSayingWhatToChange() throws Exception {
        Shape windows = shapes.get(1);
        Path dir = work.resolve("windows");
        ModuleRun pulled = kit.runYaml("""
                manifests: ["%s"]
                dest: "local://%s"
                auths: [{registry: "${origin}", plain_http: true}]
                """.formatted(windows.reference(origin.hostPort()), dir));
        assertEquals("success", pulled.result().stdout(), pulled.result().error());
        ModuleRun pushed = kit.runYaml("""
                src: "local://%s"
                dest: "oci://${strict}/${module.image.reference.repository}:${module.image.reference.reference}"
                auths: [{registry: "${strict}", plain_http: true}]
                """.formatted(dir));
        assertEquals("failed", pushed.result().stdout());
        String error = pushed.result().error();
        assertTrue(error.contains("windows/app") && error.contains(strict.hostPort()), error);
        assertTrue(error.contains("refused a manifest with foreign layers") && error.contains("validation.manifests.urls.allow"), error);
        long manifestPuts = Files.readAllLines(strict.logFile()).stream()
                .filter(line -> line.contains("\"PUT /v2/windows/app/manifests/")).count();
        assertEquals(1, manifestPuts, "not retried: only the registry's configuration can change the answer");
    }

    @ParameterizedTest
    @ValueSource(strings = {"strict", "warn"})
    void underAPlatformFilterArtifactsAreCopiedWholeAndIndexesKeepWhatBelongsToThePlatform(String policy) throws Exception {
        List<Shape> mixed = shapes.stream().filter(s -> s.foreign().isEmpty()).toList();
        Path dir = work.resolve("amd64-" + policy);
        String pull = """
                manifests: %s
                dest: "local://%s"
                platform: linux/amd64
                policy: %s
                auths: [{registry: "${origin}", plain_http: true}]
                """.formatted(references(mixed), dir, policy);
        ModuleRun pulled = kit.runYaml(pull);
        assertEquals("success", pulled.result().stdout(), pulled.result().error());
        Map<String, Map<String, Object>> byName = byName(mixed, images(pulled));

        for (String artifact : List.of("Helm chart", "Helm chart without mediaType", "SPDX artifact", "cosign signature")) {
            Map<String, Object> image = byName.get(artifact);
            Shape shape = mixed.stream().filter(s -> s.name().equals(artifact)).findFirst().orElseThrow();
            assertEquals(List.of(), image.get("platforms"), artifact);
            assertEquals(shape.root().digest().toString(), image.get("digest"), artifact + " is copied whole");
            assertTrue(image.get("note").toString().contains("has no platform"), artifact + ": " + image.get("note"));
        }

        Shape buildx = mixed.get(0);
        Map<String, Object> kept = byName.get(buildx.name());
        assertEquals(List.of("linux/amd64"), kept.get("platforms"));
        JsonNode index = JSON.readTree(stored("local", dir, buildx, null));
        Manifest amd64 = buildx.children().get(0);
        Manifest amd64Attestation = buildx.children().get(1);
        assertEquals(List.of(amd64.digest().toString(), amd64Attestation.digest().toString()), digests(index),
                "the amd64 image and its attestation, nothing of arm64");
        assertArrayEquals(amd64Attestation.bytes(), stored("local", dir, buildx, amd64Attestation.digest()));

        Shape nested = shapes.stream().filter(s -> s.name().equals("nested index")).findFirst().orElseThrow();
        assertEquals(List.of("linux/amd64"), byName.get(nested.name()).get("platforms"));
        assertNotEquals(nested.root().digest().toString(), byName.get(nested.name()).get("digest"));
        JsonNode outer = JSON.readTree(stored("local", dir, nested, null));
        assertEquals(1, outer.get("manifests").size(), "s390x is dropped");
        JsonNode inner = JSON.readTree(stored("local", dir, nested, Digest.parse(outer.get("manifests").get(0).get("digest").asText())));
        assertEquals(List.of(nested.children().get(0).digest().toString()), digests(inner), "the filter descended into the nested index");

        ModuleRun pushed = kit.runYaml("""
                src: "local://%s"
                dest: "oci://${mirror}/amd64-%s/${module.image.reference.repository}:${module.image.reference.reference}"
                platform: linux/amd64
                policy: %s
                auths: [{registry: "${mirror}", plain_http: true}]
                """.formatted(dir, policy, policy));
        assertEquals("success", pushed.result().stdout(), pushed.result().error());
        Map<String, Map<String, Object>> pushedByName = byName(mixed, images(pushed));
        for (Shape shape : mixed) {
            Object digest = byName.get(shape.name()).get("digest");
            assertEquals(digest, pushedByName.get(shape.name()).get("digest"), shape.name());
            assertEquals(digest, Digest.sha256Of(rawManifest(mirror, "amd64-" + policy + "/" + shape.repository(), shape.tag())).toString());
        }

        ModuleRun again = kit.runYaml(pull);
        assertEquals("success", again.result().stdout(), again.result().error());
        assertEquals((long) mixed.size(), again.result().data().get("images_unchanged"));
    }

    private static void assertForeignLayersLeftOut(ModuleRun pulled, Path dir, String format) {
        assertEquals(2L, pulled.result().data().get("blobs_foreign"), "the Windows base layer and the non-distributable one");
        for (Shape shape : shapes) {
            long lines = pulled.log().stream().filter(line -> line.contains("foreign layer") && line.contains(shape.repository() + ":")).count();
            assertEquals(shape.foreign().isEmpty() ? 0 : 1, lines, shape.name() + ": one line per image");
            for (Digest layer : shape.foreign().keySet()) {
                Path blob = format.equals("local") ? dir.resolve("blobs/" + layer) : dir.resolve("blobs/sha256/" + layer.hex());
                assertFalse(Files.exists(blob), "not copied: " + layer);
            }
        }
    }

    /** A manifest as a directory holds it: under its tag (digest null) or its digest. */
    private static byte[] stored(String format, Path dir, Shape shape, Digest digest) throws IOException {
        if (format.equals("oci-layout")) {
            Digest wanted = digest != null ? digest : shape.root().digest();
            return Files.readAllBytes(dir.resolve("blobs/sha256/" + wanted.hex()));
        }
        Path manifests = dir.resolve(origin.hostPort()).resolve(shape.repository()).resolve("manifests");
        return Files.readAllBytes(manifests.resolve(digest == null ? shape.tag() : digest.toString()));
    }

    private static byte[] rawManifest(RegistryServer registry, String repository, String reference) throws Exception {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(registry.baseUri() + "/v2/" + repository
                + "/manifests/" + reference)).header("Accept", ACCEPT).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode(), repository + ":" + reference + " " + new String(response.body()));
        return response.body();
    }

    private static int head(RegistryServer registry, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(registry.baseUri() + path)).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String references(List<Shape> list) {
        return list.stream().map(s -> "\"" + s.reference(origin.hostPort()) + "\"").collect(Collectors.joining(", ", "[", "]"));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> images(ModuleRun run) {
        return (List<Map<String, Object>>) run.registered().get("images");
    }

    /** Results matched to shapes by the image they name (a push lists the directory in its own order). */
    private static Map<String, Map<String, Object>> byName(List<Shape> list, List<Map<String, Object>> images) {
        return list.stream().collect(Collectors.toMap(Shape::name, shape -> images.stream()
                .filter(i -> i.get("source").toString().endsWith(shape.repository() + ":" + shape.tag())).findFirst().orElseThrow()));
    }

    private static List<String> digests(JsonNode index) {
        List<String> digests = new java.util.ArrayList<>();
        index.get("manifests").forEach(entry -> digests.add(entry.get("digest").asText()));
        return digests;
    }
}
