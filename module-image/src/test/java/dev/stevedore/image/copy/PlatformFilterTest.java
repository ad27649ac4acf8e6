package dev.stevedore.image.copy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.image.oci.Manifest;
import dev.stevedore.image.oci.MediaTypes;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.Platform;
import dev.stevedore.image.testing.TestImages;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlatformFilterTest {

    private final TestImages.TestImage index = TestImages.index(new LinkedHashMap<>(Map.of(
            "linux/amd64", TestImages.single("linux/amd64", "amd64 layer"))) {{
                put("linux/arm64/v8", TestImages.single("linux/arm64/v8", "arm64 layer"));
                put("linux/arm/v7", TestImages.single("linux/arm/v7", "arm layer"));
            }});

    /** Every manifest the tests' indexes refer to, by digest: what a source target would serve. */
    private final Map<Digest, Manifest> served = new HashMap<>();

    PlatformFilterTest() {
        index.children().forEach(this::serve);
    }

    private Manifest serve(Manifest manifest) {
        served.put(manifest.digest(), manifest);
        return manifest;
    }

    private PlatformFilter.Selection filter(Manifest root, PlatformSelection selection) throws IOException {
        return PlatformFilter.select(root, selection, entry -> {
            Manifest manifest = served.get(entry.digest());
            if (manifest == null) {
                throw new IOException("not served: " + entry.digest());
            }
            return manifest;
        });
    }

    private static PlatformSelection select(String... platforms) {
        return PlatformSelection.parse(List.of(platforms));
    }

    @Test
    void allKeepsTheOriginalIndexAndItsDigest() throws IOException {
        PlatformFilter.Selection selection = filter(index.root(), PlatformSelection.ALL);
        assertSame(index.root(), selection.index());
        assertEquals(index.children(), selection.manifests());
        assertEquals(List.of("linux/amd64", "linux/arm64/v8", "linux/arm/v7"), selection.platforms());
    }

    @Test
    void askingForEveryPlatformItHasAlsoKeepsTheDigest() throws IOException {
        PlatformFilter.Selection selection = filter(index.root(), select("linux/amd64", "linux/arm64", "linux/arm"));
        assertEquals(index.root().digest(), selection.index().digest());
    }

    @Test
    void aSubsetBuildsANewIndexKeepingMediaTypeSchemaVersionAndAnnotations() throws Exception {
        PlatformFilter.Selection selection = filter(index.root(), select("linux/arm64"));
        Manifest filtered = selection.index();
        assertNotEquals(index.root().digest(), filtered.digest());
        assertEquals(Digest.sha256Of(filtered.bytes()), filtered.digest(), "the digest covers the new bytes");
        assertEquals(MediaTypes.OCI_INDEX, filtered.mediaType());
        JsonNode json = new ObjectMapper().readTree(filtered.bytes());
        JsonNode original = new ObjectMapper().readTree(index.root().bytes());
        assertEquals(2, json.get("schemaVersion").asInt());
        assertEquals(MediaTypes.OCI_INDEX, json.get("mediaType").asText());
        ObjectNode annotations = original.get("annotations").deepCopy();
        annotations.put(PlatformFilter.FILTERED_FROM, index.root().digest().toString());
        assertEquals(annotations, json.get("annotations"), "the original's annotations, and the index it was selected from");
        assertEquals(Optional.of(index.root().digest()), PlatformFilter.filteredFrom(filtered));
        assertEquals(Optional.empty(), PlatformFilter.filteredFrom(index.root()));
        assertEquals(1, json.get("manifests").size());
        assertEquals(original.get("manifests").get(1), json.get("manifests").get(0), "the kept entry is carried over as it was");
        assertEquals(List.of(index.children().get(1)), selection.manifests());
        assertEquals(List.of("linux/arm64/v8"), selection.platforms());
    }

    @Test
    void aSelectionFilteredAgainWithTheSameChoiceIsItselfAndNamesTheSourceIndex() throws IOException {
        Manifest filtered = filter(index.root(), select("linux/amd64")).index();
        PlatformFilter.Selection again = filter(filtered, select("linux/amd64"));
        assertSame(filtered, again.index(), "a re-run's check: the selection it holds is the one it would make");
        assertEquals(Optional.of(index.root().digest()), PlatformFilter.filteredFrom(again.index()));
    }

    @Test
    void filteringIsDeterministic() throws IOException {
        assertArrayEquals(filter(index.root(), select("linux/amd64")).index().bytes(),
                filter(index.root(), select("linux/amd64")).index().bytes());
    }

    @Test
    void missingPlatformsAreReported() throws IOException {
        PlatformFilter.Selection selection = filter(index.root(), select("linux/amd64", "linux/s390x"));
        assertEquals(List.of(Platform.parse("linux/s390x")), selection.missing());
        assertEquals(1, selection.manifests().size());
        assertFalse(selection.nothingLeft());
        assertTrue(filter(index.root(), select("linux/s390x")).nothingLeft());
    }

    @Test
    void armWithoutVariantMeansV7() throws IOException {
        assertEquals(List.of("linux/arm/v7"), filter(index.root(), select("linux/arm")).platforms());
    }

    @Test
    void theAttestationOfAKeptManifestIsKeptAndUnknownIsNeverAPlatform() throws Exception {
        Manifest amd64 = index.children().get(0);
        Manifest arm64 = index.children().get(1);
        Manifest amd64Attestation = serve(attestation("amd64 provenance"));
        Manifest arm64Attestation = serve(attestation("arm64 provenance"));
        Manifest buildx = index(entry(amd64, "linux/amd64", null), entry(arm64, "linux/arm64", null),
                entry(amd64Attestation, "unknown/unknown", amd64), entry(arm64Attestation, "unknown/unknown", arm64));

        PlatformFilter.Selection all = filter(buildx, PlatformSelection.ALL);
        assertEquals(List.of("linux/amd64", "linux/arm64"), all.platforms());
        assertEquals(List.of("linux/amd64", "linux/arm64"), all.available());
        assertEquals(4, all.manifests().size());

        PlatformFilter.Selection one = filter(buildx, select("linux/amd64"));
        assertEquals(List.of(amd64, amd64Attestation), one.manifests());
        assertEquals(List.of("linux/amd64"), one.platforms());
        JsonNode kept = new ObjectMapper().readTree(one.index().bytes()).get("manifests");
        assertEquals(List.of(amd64.digest().toString(), amd64Attestation.digest().toString()),
                List.of(kept.get(0).get("digest").asText(), kept.get(1).get("digest").asText()));
        assertEquals(buildx.digest(), filter(buildx, select("linux/amd64", "linux/arm64")).index().digest(),
                "asking for every platform keeps every attestation, so the index is the original");
    }

    @Test
    void aNestedIndexIsFollowedAndRebuiltWhereItIsFiltered() throws Exception {
        Manifest s390x = serve(TestImages.single("linux/s390x", "s390x layer").root());
        Manifest inner = serve(index(entry(index.children().get(0), "linux/amd64", null),
                entry(index.children().get(1), "linux/arm64", null)));
        Manifest outer = index(entry(inner, null, null), entry(s390x, "linux/s390x", null));

        PlatformFilter.Selection all = filter(outer, PlatformSelection.ALL);
        assertSame(outer, all.index());
        assertEquals(List.of(index.children().get(0), index.children().get(1), inner, s390x), all.manifests(),
                "the nested index comes after its manifests and before the root");
        assertEquals(List.of("linux/amd64", "linux/arm64", "linux/s390x"), all.platforms());

        PlatformFilter.Selection arm = filter(outer, select("linux/arm64"));
        assertEquals(List.of("linux/arm64"), arm.platforms());
        assertEquals(2, arm.manifests().size(), "the arm64 manifest and the rebuilt nested index");
        assertEquals(index.children().get(1), arm.manifests().get(0));
        Manifest rebuiltInner = arm.manifests().get(1);
        assertTrue(rebuiltInner.isIndex());
        assertNotEquals(inner.digest(), rebuiltInner.digest());
        JsonNode root = new ObjectMapper().readTree(arm.index().bytes()).get("manifests");
        assertEquals(1, root.size());
        assertEquals(rebuiltInner.digest().toString(), root.get(0).get("digest").asText(), "the parent points at the new nested index");
        assertEquals(rebuiltInner.size(), root.get(0).get("size").asLong());
        assertEquals(1, new ObjectMapper().readTree(rebuiltInner.bytes()).get("manifests").size());
    }

    @Test
    void anIndexOfArtifactsIsCopiedWholeUnderAnyPlatform() throws Exception {
        Manifest chart = serve(Manifest.of(TestImages.bytes("{\"schemaVersion\":2,\"config\":{\"mediaType\":\""
                + MediaTypes.HELM_CONFIG + "\",\"digest\":\"" + Digest.sha256Of(new byte[0]) + "\",\"size\":0},\"layers\":[]}"), null));
        Manifest artifacts = index(entry(chart, null, null));
        PlatformFilter.Selection selection = filter(artifacts, select("linux/amd64"));
        assertTrue(selection.artifact());
        assertSame(artifacts, selection.index());
        assertEquals(List.of(), selection.platforms());
        assertEquals(List.of(), selection.missing());
        assertEquals(List.of(chart), selection.manifests());
    }

    private static Manifest attestation(String predicate) {
        byte[] statement = TestImages.bytes("{\"predicate\":\"" + predicate + "\"}");
        byte[] config = TestImages.bytes("{\"architecture\":\"unknown\",\"os\":\"unknown\",\"config\":{},\"rootfs\":{\"type\":\"layers\"}}");
        return Manifest.of(TestImages.bytes("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"mediaType\":\""
                + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + Digest.sha256Of(config) + "\",\"size\":" + config.length
                + "},\"layers\":[{\"mediaType\":\"application/vnd.in-toto+json\",\"digest\":\"" + Digest.sha256Of(statement)
                + "\",\"size\":" + statement.length + "}]}"), null);
    }

    private static String entry(Manifest manifest, String platform, Manifest attests) {
        StringBuilder json = new StringBuilder("{\"mediaType\":\"" + manifest.mediaType() + "\",\"digest\":\"" + manifest.digest()
                + "\",\"size\":" + manifest.size());
        if (attests != null) {
            json.append(",\"annotations\":{\"vnd.docker.reference.digest\":\"").append(attests.digest())
                    .append("\",\"vnd.docker.reference.type\":\"attestation-manifest\"}");
        }
        if (platform != null) {
            String[] p = platform.split("/");
            json.append(",\"platform\":{\"architecture\":\"").append(p[1]).append("\",\"os\":\"").append(p[0]).append("\"}");
        }
        return json.append('}').toString();
    }

    private static Manifest index(String... entries) {
        return Manifest.of(TestImages.bytes("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":["
                + String.join(",", entries) + "]}"), null);
    }
}
