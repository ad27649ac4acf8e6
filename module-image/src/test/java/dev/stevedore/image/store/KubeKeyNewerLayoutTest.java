package dev.stevedore.image.store;

import static dev.stevedore.image.store.KubeKeyLayoutStoreTest.relativeFiles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.stevedore.image.ImageException;
import dev.stevedore.image.oci.Manifest;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.store.StoreOptions.KubeKeyTags;
import dev.stevedore.image.store.TestImages.TestImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The newer KubeKey generation: manifests by digest plus a {@code manifests/layout} tag map. */
class KubeKeyNewerLayoutTest {

    @TempDir
    Path dir;

    private final TestImages images = new TestImages(7);

    /** Builds, byte by byte, what newer KubeKey writes for nginx:1.27 and nginx:latest (an index and a single image). */
    private void handMadeFixture(Path root, TestImage index, TestImage single) throws IOException {
        Path manifests = root.resolve("docker.io/library/nginx/manifests");
        Files.createDirectories(manifests);
        Files.createDirectories(root.resolve("blobs"));
        for (TestImage image : List.of(index, single)) {
            for (Map.Entry<Digest, byte[]> blob : image.blobs().entrySet()) {
                Files.write(root.resolve("blobs/" + blob.getKey()), blob.getValue());
            }
            for (Manifest manifest : image.children()) {
                Files.write(manifests.resolve(manifest.digest().toString()), manifest.bytes());
            }
            Files.write(manifests.resolve(image.root().digest().toString()), image.root().bytes());
        }
        String layout = "{\n"
                + "  \"1.27\": \"" + index.root().digest() + "\",\n"
                + "  \"latest\": \"" + single.root().digest() + "\"\n"
                + "}";
        Files.write(manifests.resolve("layout"), layout.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aDirectoryWrittenByNewerKubeKeyIsListedAndRead() throws IOException {
        TestImage index = images.index("amd64", "arm64");
        TestImage single = images.image("arm64", 2);
        handMadeFixture(dir, index, single);
        KubeKeyLayoutStore store = KubeKeyLayoutStore.open(dir);

        ImageReference tag127 = ImageReference.parse("nginx:1.27");
        ImageReference latest = ImageReference.parse("nginx:latest");
        assertEquals(List.of(tag127, latest), store.list());
        assertEquals(index.root(), store.findManifest(tag127).orElseThrow());
        assertEquals(single.root(), store.findManifest(latest).orElseThrow());
        assertEquals(index.children().get(0), store.findManifest(tag127.withDigest(index.children().get(0).digest())).orElseThrow());
    }

    @Test
    void writingInTheNewerGenerationGivesTheSameBytesAsKubeKey() throws IOException {
        TestImage index = images.index("amd64", "arm64");
        TestImage single = images.image("arm64", 2);
        Path expected = dir.resolve("expected");
        handMadeFixture(expected, index, single);
        Path actual = dir.resolve("actual");
        KubeKeyLayoutStore store = KubeKeyLayoutStore.open(actual, StoreOptions.defaults().withKubeKeyTags(KubeKeyTags.LAYOUT_FILE));

        single.writeTo(store, ImageReference.parse("nginx:latest"));
        index.writeTo(store, ImageReference.parse("nginx:1.27"));

        assertEquals(relativeFiles(expected), relativeFiles(actual));
        for (String file : relativeFiles(expected)) {
            assertArrayEquals(Files.readAllBytes(expected.resolve(file)), Files.readAllBytes(actual.resolve(file)), file);
        }
    }

    @Test
    void aMixedDirectoryListsTagsOfBothGenerations() throws IOException {
        TestImage index = images.index("amd64", "arm64");
        TestImage single = images.image("arm64", 2);
        handMadeFixture(dir, index, single);
        KubeKeyLayoutStore store = KubeKeyLayoutStore.open(dir);
        TestImage old = images.image("amd64", 1);
        old.writeTo(store, ImageReference.parse("nginx:1.25"));
        old.writeTo(store, ImageReference.parse("quay.io/a/b:v1"));

        assertEquals(List.of(ImageReference.parse("nginx:1.25"), ImageReference.parse("nginx:1.27"), ImageReference.parse("nginx:latest"),
                ImageReference.parse("quay.io/a/b:v1")), store.list());
        assertEquals(old.root(), store.findManifest(ImageReference.parse("nginx:1.25")).orElseThrow());
    }

    @Test
    void retaggingInTheFirstGenerationKeepsTheLayoutFileInAgreement() throws IOException {
        TestImage index = images.index("amd64", "arm64");
        TestImage single = images.image("arm64", 2);
        handMadeFixture(dir, index, single);
        KubeKeyLayoutStore store = KubeKeyLayoutStore.open(dir);
        TestImage replacement = images.image("amd64", 1);
        ImageReference latest = ImageReference.parse("nginx:latest");

        replacement.writeTo(store, latest);

        Path manifests = dir.resolve("docker.io/library/nginx/manifests");
        assertArrayEquals(replacement.root().bytes(), Files.readAllBytes(manifests.resolve("latest")));
        String layout = Files.readString(manifests.resolve("layout"));
        assertEquals("{\n  \"1.27\": \"" + index.root().digest() + "\",\n  \"latest\": \"" + replacement.root().digest() + "\"\n}", layout);
        assertEquals(replacement.root(), store.findManifest(latest).orElseThrow());
    }

    @Test
    void aTagNamedLayoutCannotBeStoredInTheNewerGeneration() throws IOException {
        KubeKeyLayoutStore store = KubeKeyLayoutStore.open(dir, StoreOptions.defaults().withKubeKeyTags(KubeKeyTags.LAYOUT_FILE));
        TestImage image = images.image("amd64", 1);
        ImageException e = assertThrows(ImageException.class, () -> image.writeTo(store, ImageReference.parse("nginx:layout")));
        assertEquals(true, e.getMessage().contains("choose another tag"), e.getMessage());
    }

    @Test
    void layoutEntriesThatAreNotTagsOrDigestsAreIgnored() throws IOException {
        TestImage single = images.image("arm64", 1);
        KubeKeyLayoutStore store = KubeKeyLayoutStore.open(dir);
        store.writeManifest(ImageReference.parse("nginx"), single.root());
        Path manifests = dir.resolve("docker.io/library/nginx/manifests");
        Files.writeString(manifests.resolve("layout"), "{\"../../../etc\": \"" + single.root().digest() + "\", \"ok\": \"../../blobs/x\","
                + " \"good\": \"" + single.root().digest() + "\", \"n\": 5}");

        assertEquals(List.of(ImageReference.parse("nginx:good")), store.list());
        assertEquals(single.root(), store.findManifest(ImageReference.parse("nginx:good")).orElseThrow());
        assertEquals(true, store.findManifest(ImageReference.parse("nginx:ok")).isEmpty());
    }

    @Test
    void theLayoutFileFormatIsGoMarshalIndent() {
        assertEquals("{}", new String(KubeKeyLayoutFile.format(Map.of()), StandardCharsets.UTF_8));
        assertEquals("{\n  \"a\": \"x\\u003c\\u0026\\\"\",\n  \"b\": \"y\"\n}",
                new String(KubeKeyLayoutFile.format(Map.of("b", "y", "a", "x<&\"")), StandardCharsets.UTF_8));
    }
}
