package dev.stevedore.image.copy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stevedore.image.args.PlatformSelection;
import dev.stevedore.image.oci.Manifest;
import dev.stevedore.image.oci.MediaTypes;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.Platform;
import dev.stevedore.image.testing.TestImages;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlatformFilterTest {

    private final TestImages.TestImage index = TestImages.index(new LinkedHashMap<>(Map.of(
            "linux/amd64", TestImages.single("linux/amd64", "amd64 layer"))) {{
                put("linux/arm64/v8", TestImages.single("linux/arm64/v8", "arm64 layer"));
                put("linux/arm/v7", TestImages.single("linux/arm/v7", "arm layer"));
            }});

    private static PlatformSelection select(String... platforms) {
        return PlatformSelection.parse(List.of(platforms));
    }

    @Test
    void allKeepsTheOriginalIndexAndItsDigest() {
        PlatformFilter.Selection selection = PlatformFilter.select(index.root(), PlatformSelection.ALL);
        assertSame(index.root(), selection.index());
        assertEquals(3, selection.children().size());
        assertEquals(List.of("linux/amd64", "linux/arm64/v8", "linux/arm/v7"), selection.platforms());
    }

    @Test
    void askingForEveryPlatformItHasAlsoKeepsTheDigest() {
        PlatformFilter.Selection selection = PlatformFilter.select(index.root(), select("linux/amd64", "linux/arm64", "linux/arm"));
        assertEquals(index.root().digest(), selection.index().digest());
    }

    @Test
    void aSubsetBuildsANewIndexKeepingMediaTypeSchemaVersionAndAnnotations() throws Exception {
        PlatformFilter.Selection selection = PlatformFilter.select(index.root(), select("linux/arm64"));
        Manifest filtered = selection.index();
        assertNotEquals(index.root().digest(), filtered.digest());
        assertEquals(Digest.sha256Of(filtered.bytes()), filtered.digest(), "the digest covers the new bytes");
        assertEquals(MediaTypes.OCI_INDEX, filtered.mediaType());
        JsonNode json = new ObjectMapper().readTree(filtered.bytes());
        JsonNode original = new ObjectMapper().readTree(index.root().bytes());
        assertEquals(2, json.get("schemaVersion").asInt());
        assertEquals(MediaTypes.OCI_INDEX, json.get("mediaType").asText());
        assertEquals(original.get("annotations"), json.get("annotations"));
        assertEquals(1, json.get("manifests").size());
        assertEquals(original.get("manifests").get(1), json.get("manifests").get(0), "the kept entry is carried over as it was");
        assertEquals(List.of(index.children().get(1).digest()), selection.children().stream().map(d -> d.digest()).toList());
        assertEquals(List.of("linux/arm64/v8"), selection.platforms());
    }

    @Test
    void filteringIsDeterministic() {
        assertArrayEquals(PlatformFilter.select(index.root(), select("linux/amd64")).index().bytes(),
                PlatformFilter.select(index.root(), select("linux/amd64")).index().bytes());
    }

    @Test
    void missingPlatformsAreReported() {
        PlatformFilter.Selection selection = PlatformFilter.select(index.root(), select("linux/amd64", "linux/s390x"));
        assertEquals(List.of(Platform.parse("linux/s390x")), selection.missing());
        assertEquals(1, selection.children().size());
    }

    @Test
    void armWithoutVariantMeansV7() {
        assertEquals(List.of("linux/arm/v7"), PlatformFilter.select(index.root(), select("linux/arm")).platforms());
    }
}
