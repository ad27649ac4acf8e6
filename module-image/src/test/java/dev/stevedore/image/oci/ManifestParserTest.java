package dev.stevedore.image.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.Platform;
import dev.stevedore.image.testing.RealWorldImages;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ManifestParserTest {

    private final RealWorldImages images = new RealWorldImages();

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void documentsWithoutMediaTypeAreTypedByTheirStructureAsTheRegistryTypesThem() {
        assertEquals(MediaTypes.OCI_MANIFEST, ManifestParser.detectMediaType(images.helmChartWithoutMediaType().root().bytes(), null));
        RealWorldImages.Shape spec10 = images.imageSpec10Index();
        assertEquals(MediaTypes.OCI_INDEX, ManifestParser.detectMediaType(spec10.root().bytes(), null));
        assertEquals(MediaTypes.OCI_MANIFEST, ManifestParser.detectMediaType(spec10.children().get(0).bytes(), null));
        assertEquals(MediaTypes.OCI_INDEX, spec10.root().mediaType(), "Manifest.of detects it too");
    }

    @Test
    void theDocumentsOwnMediaTypeWinsThenTheDeclaredOne() {
        byte[] docker = images.windowsWithForeignLayer(d -> "https://example.com/" + d).root().bytes();
        assertEquals(MediaTypes.DOCKER_MANIFEST, ManifestParser.detectMediaType(docker, MediaTypes.OCI_MANIFEST));
        byte[] untyped = bytes("{\"schemaVersion\":2,\"manifests\":[]}");
        assertEquals(MediaTypes.DOCKER_MANIFEST_LIST, ManifestParser.detectMediaType(untyped, MediaTypes.DOCKER_MANIFEST_LIST));
        assertEquals(MediaTypes.OCI_INDEX, ManifestParser.detectMediaType(untyped, "application/json"), "a generic type tells nothing");
    }

    @Test
    void otherJsonIsNotAManifest() {
        assertEquals("", ManifestParser.detectMediaType(bytes("{\n  \"1.0\": \"sha256:" + "a".repeat(64) + "\"\n}"), null),
                "a KubeKey layout file");
        assertEquals("", ManifestParser.detectMediaType(bytes("{\"schemaVersion\":1,\"name\":\"x\",\"fsLayers\":[]}"), null));
        assertEquals("", ManifestParser.detectMediaType(bytes("{\"schemaVersion\":2}"), null));
        assertEquals("", ManifestParser.detectMediaType(bytes("[1,2]"), null));
        assertEquals("", ManifestParser.detectMediaType(bytes("not json"), null));
    }

    @Test
    void layerUrlsAndArtifactTypesAreRead() {
        ImageManifest windows = ManifestParser.parseManifest(images.windowsWithForeignLayer(d -> "https://mcr.example/" + d).root());
        Descriptor base = windows.layers().get(0);
        assertTrue(base.isForeign());
        assertEquals(List.of("https://mcr.example/" + base.digest()), base.urls());
        assertEquals(Optional.empty(), windows.artifactKind());

        RealWorldImages.Shape buildx = images.buildxWithAttestations();
        ImageManifest sbom = ManifestParser.parseManifest(images.spdxArtifact(buildx.children().get(0)).root());
        assertEquals(RealWorldImages.SPDX, sbom.artifactType());
        assertEquals(Optional.of("an artifact of type application/spdx+json"), sbom.artifactKind());
        assertEquals(Optional.of("a Helm chart"), ManifestParser.parseManifest(images.helmChart().root()).artifactKind());
        assertEquals(Optional.empty(), ManifestParser.parseManifest(images.cosignSignature(Digest.sha256Of(new byte[0])).root())
                .artifactKind(), "a cosign signature has an image config: only that config tells it has no platform");
    }

    @Test
    void aConfigWithoutOsAndArchitectureOrWithUnknownDeclaresNoPlatform() {
        assertEquals(Optional.of(Platform.parse("linux/arm64/v8")),
                ManifestParser.declaredPlatform(bytes("{\"architecture\":\"arm64\",\"os\":\"linux\",\"variant\":\"v8\"}")));
        assertEquals(Optional.empty(), ManifestParser.declaredPlatform(bytes("{\"architecture\":\"\",\"os\":\"\",\"config\":{}}")));
        assertEquals(Optional.empty(), ManifestParser.declaredPlatform(bytes("{\"architecture\":\"unknown\",\"os\":\"unknown\"}")));
        assertThrows(MalformedManifestException.class, () -> ManifestParser.declaredPlatform(bytes("{\"architecture\":\"x y\",\"os\":\"linux\"}")));
        assertThrows(MalformedManifestException.class, () -> ManifestParser.declaredPlatform(bytes("nope")));
    }
}
