package dev.stevedore.image.store;

import static dev.stevedore.image.store.KubeKeyLayoutStoreTest.relativeFiles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.image.error.ImageException;
import dev.stevedore.image.oci.Manifest;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.store.StoreOptions.KubeKeyLayout;
import dev.stevedore.image.store.TestImages.TestImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Today's KubeKey generation: manifests by digest plus a {@code manifests/layout} tag map, and the rule that
 * a repository is of one generation only (a {@code layout} file decides), so a tag is never recorded twice.
 */
class KubeKeyNewerLayoutTest {

    @TempDir
    Path dir;

    private final TestImages images = new TestImages(7);

    /**
     * Builds, byte by byte, what today's KubeKey (pkg/modules/image) writes for nginx:1.27 and nginx:latest (an
     * index and a single image): the folder named after Docker Hub's API host, every manifest by digest, and
     * the tag list as Go's {@code json.MarshalIndent(map, "", "  ")} writes it, files 0644.
     */
    static void handMadeFixture(Path root, String repository, Map<String, TestImage> tags) throws IOException {
        Path manifests = root.resolve(repository + "/manifests");
        Files.createDirectories(manifests);
        Files.createDirectories(root.resolve("blobs"));
        StringBuilder layout = new StringBuilder("{\n");
        int left = tags.size();
        for (Map.Entry<String, TestImage> tag : new java.util.TreeMap<>(tags).entrySet()) {
            TestImage image = tag.getValue();
            for (Map.Entry<Digest, byte[]> blob : image.blobs().entrySet()) {
                write(root.resolve("blobs/" + blob.getKey()), blob.getValue());
            }
            for (Manifest manifest : image.children()) {
                write(manifests.resolve(manifest.digest().toString()), manifest.bytes());
            }
            write(manifests.resolve(image.root().digest().toString()), image.root().bytes());
            layout.append("  \"").append(tag.getKey()).append("\": \"").append(image.root().digest()).append('"')
                    .append(--left > 0 ? ",\n" : "\n");
        }
        write(manifests.resolve("layout"), layout.append('}').toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    }

    private static final String NGINX = "registry-1.docker.io/library/nginx";

    @Test
    void aDirectoryWrittenByTodaysKubeKeyIsListedAndRead() throws IOException {
        TestImage index = images.index("amd64", "arm64");
        TestImage single = images.image("arm64", 2);
        handMadeFixture(dir, NGINX, Map.of("1.27", index, "latest", single));
        KubeKeyLayoutStore store = KubeKeyLayoutStore.open(dir);

        ImageReference tag127 = ImageReference.parse("nginx:1.27");
        ImageReference latest = ImageReference.parse("nginx:latest");
        assertEquals(List.of(tag127, latest), store.list());
        assertEquals(index.root(), store.findManifest(tag127).orElseThrow());
        assertEquals(single.root(), store.findManifest(latest).orElseThrow());
        assertEquals(index.children().get(0), store.findManifest(tag127.withDigest(index.children().get(0).digest())).orElseThrow());
    }

    @Test
    void writingInTodaysGenerationGivesTheSameBytesAsKubeKey() throws IOException {
        TestImage index = images.index("amd64", "arm64");
        TestImage single = images.image("arm64", 2);
        Path expected = dir.resolve("expected");
        handMadeFixture(expected, NGINX, Map.of("1.27", index, "latest", single));
        Path actual = dir.resolve("actual");
        KubeKeyLayoutStore store = KubeKeyLayoutStore.open(actual, StoreOptions.defaults().withNewRepositories(KubeKeyLayout.KUBEKEY_V2));

        single.writeTo(store, ImageReference.parse("nginx:latest"));
        index.writeTo(store, ImageReference.parse("nginx:1.27"));

        assertSameFiles(expected, actual);
    }

    @Test
    void aNewRepositoryInADirectoryOfTodaysKubeKeyGetsALayoutFileToo() throws IOException {
        handMadeFixture(dir, NGINX, Map.of("1.27", images.index("amd64")));
        KubeKeyLayoutStore store = KubeKeyLayoutStore.open(dir);
        TestImage image = images.image("amd64", 1);

        image.writeTo(store, ImageReference.parse("quay.io/a/b:v1"));

        Path manifests = dir.resolve("quay.io/a/b/manifests");
        assertEquals("{\n  \"v1\": \"" + image.root().digest() + "\"\n}", Files.readString(manifests.resolve("layout")));
        assertArrayEquals(image.root().bytes(), Files.readAllBytes(manifests.resolve(image.root().digest().toString())));
        assertFalse(Files.exists(manifests.resolve("v1")), "never both forms for one tag");
    }

    @Test
    void aNewRepositoryInAFirstGenerationOrMixedDirectoryGetsTagFiles() throws IOException {
        handMadeFixture(dir, NGINX, Map.of("1.27", images.index("amd64")));
        KubeKeyLayoutStore firstGeneration = KubeKeyLayoutStore.open(dir);
        TestImage old = images.image("amd64", 1);
        old.writeTo(KubeKeyLayoutStore.open(dir, StoreOptions.defaults().withNewRepositories(KubeKeyLayout.KUBEKEY_V1)),
                ImageReference.parse("quay.io/old/one:v1"));
        TestImage image = images.image("arm64", 1);

        image.writeTo(firstGeneration, ImageReference.parse("quay.io/new/one:v2"));

        Path manifests = dir.resolve("quay.io/new/one/manifests");
        assertArrayEquals(image.root().bytes(), Files.readAllBytes(manifests.resolve("v2")));
        assertFalse(Files.exists(manifests.resolve("layout")));
        assertEquals(List.of(ImageReference.parse("nginx:1.27"), ImageReference.parse("quay.io/new/one:v2"),
                ImageReference.parse("quay.io/old/one:v1")), firstGeneration.list());
    }

    @Test
    void theTaskArgumentChoosesForNewRepositoriesButNeverConvertsAnExistingOne() throws IOException {
        TestImage first = images.image("amd64", 1);
        first.writeTo(KubeKeyLayoutStore.open(dir), ImageReference.parse("quay.io/a/b:v1"));
        KubeKeyLayoutStore v2 = KubeKeyLayoutStore.open(dir, StoreOptions.defaults().withNewRepositories(KubeKeyLayout.KUBEKEY_V2));
        TestImage second = images.image("arm64", 1);

        second.writeTo(v2, ImageReference.parse("quay.io/a/b:v2"));
        second.writeTo(v2, ImageReference.parse("quay.io/c/d:v2"));

        assertArrayEquals(second.root().bytes(), Files.readAllBytes(dir.resolve("quay.io/a/b/manifests/v2")));
        assertFalse(Files.exists(dir.resolve("quay.io/a/b/manifests/layout")), "the first-generation repository stays so");
        assertTrue(Files.exists(dir.resolve("quay.io/c/d/manifests/layout")));
        assertFalse(Files.exists(dir.resolve("quay.io/c/d/manifests/v2")));
    }

    /**
     * The stale-tag bug: an earlier Stevedore wrote both a tag file and a {@code layout} entry; today's KubeKey
     * then re-pulled the tag (it updates {@code layout} only). The tag file is stale and must never be pushed.
     */
    @Test
    void aRepositoryWithALayoutFileTakesItsTagsOnlyFromItAndWritesOnlyIt() throws IOException {
        TestImage stale = images.image("amd64", 1);
        TestImage current = images.image("amd64", 1);
        handMadeFixture(dir, NGINX, Map.of("latest", current));
        Path manifests = dir.resolve(NGINX + "/manifests");
        Files.write(manifests.resolve("latest"), stale.root().bytes());
        Files.write(manifests.resolve("1.25"), stale.root().bytes());
        stale.blobs().forEach((digest, bytes) -> {
            try {
                Files.write(dir.resolve("blobs/" + digest), bytes);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        KubeKeyLayoutStore store = KubeKeyLayoutStore.open(dir);
        ImageReference latest = ImageReference.parse("nginx:latest");

        assertEquals(current.root(), store.findManifest(latest).orElseThrow());
        assertEquals(List.of(latest), store.list(), "a tag file beside a layout file is no tag");
        assertTrue(store.findManifest(ImageReference.parse("nginx:1.25")).isEmpty());

        TestImage next = images.image("arm64", 1);
        next.writeTo(store, latest);
        next.writeTo(store, ImageReference.parse("nginx:1.28"));

        assertEquals("{\n  \"1.28\": \"" + next.root().digest() + "\",\n  \"latest\": \"" + next.root().digest() + "\"\n}",
                Files.readString(manifests.resolve("layout")));
        assertArrayEquals(stale.root().bytes(), Files.readAllBytes(manifests.resolve("latest")), "the stale file is not written");
        assertFalse(Files.exists(manifests.resolve("1.28")), "never both forms for one tag");
        assertEquals(next.root(), store.findManifest(latest).orElseThrow());
    }

    @Test
    void aTagNamedLayoutCannotBeStoredInTodaysGeneration() throws IOException {
        KubeKeyLayoutStore store = KubeKeyLayoutStore.open(dir, StoreOptions.defaults().withNewRepositories(KubeKeyLayout.KUBEKEY_V2));
        TestImage image = images.image("amd64", 1);
        ImageException e = assertThrows(ImageException.class, () -> image.writeTo(store, ImageReference.parse("nginx:layout")));
        assertTrue(e.getMessage().contains("choose another tag"), e.getMessage());
    }

    @Test
    void layoutEntriesThatAreNotTagsOrDigestsAreIgnored() throws IOException {
        TestImage single = images.image("arm64", 1);
        KubeKeyLayoutStore store = KubeKeyLayoutStore.open(dir);
        store.writeManifest(ImageReference.parse("nginx"), single.root());
        Path manifests = dir.resolve(NGINX + "/manifests");
        Files.writeString(manifests.resolve("layout"), "{\"../../../etc\": \"" + single.root().digest() + "\", \"ok\": \"../../blobs/x\","
                + " \"good\": \"" + single.root().digest() + "\", \"n\": 5}");

        assertEquals(List.of(ImageReference.parse("nginx:good")), store.list());
        assertEquals(single.root(), store.findManifest(ImageReference.parse("nginx:good")).orElseThrow());
        assertTrue(store.findManifest(ImageReference.parse("nginx:ok")).isEmpty());
    }

    @Test
    void theLayoutFileFormatIsGoMarshalIndent() {
        assertEquals("{}", new String(KubeKeyLayoutFile.format(Map.of()), StandardCharsets.UTF_8));
        assertEquals("{\n  \"a\": \"x\\u003c\\u0026\\\"\",\n  \"b\": \"y\"\n}",
                new String(KubeKeyLayoutFile.format(Map.of("b", "y", "a", "x<&\"")), StandardCharsets.UTF_8));
    }

    /** Same file names, same bytes, same modes. */
    static void assertSameFiles(Path expected, Path actual) throws IOException {
        assertEquals(relativeFiles(expected), relativeFiles(actual));
        for (String file : relativeFiles(expected)) {
            assertArrayEquals(Files.readAllBytes(expected.resolve(file)), Files.readAllBytes(actual.resolve(file)), file);
            assertEquals(PosixFilePermissions.toString(Files.getPosixFilePermissions(expected.resolve(file))),
                    PosixFilePermissions.toString(Files.getPosixFilePermissions(actual.resolve(file))), file);
        }
    }
}
