package dev.stevedore.image.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.image.error.ImageException;
import dev.stevedore.image.oci.Manifest;
import dev.stevedore.image.oci.MediaTypes;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.store.TestImages.TestImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeKeyLayoutStoreTest {

    @TempDir
    Path dir;

    private final TestImages images = new TestImages(42);

    /** Docker Hub's folder is named after its API host, as KubeKey names it after the host it sends requests to. */
    @Test
    void aTaggedIndexIsStoredFileForFileAsKubeKeyWritesIt() throws IOException {
        KubeKeyLayoutStore store = KubeKeyLayoutStore.open(dir);
        TestImage image = images.index("amd64", "arm64");
        ImageReference nginx = ImageReference.parse("nginx:1.27");

        image.writeTo(store, nginx);

        Set<String> expected = new TreeSet<>();
        image.blobs().keySet().forEach(d -> expected.add("blobs/" + d));
        image.children().forEach(c -> expected.add("registry-1.docker.io/library/nginx/manifests/" + c.digest()));
        expected.add("registry-1.docker.io/library/nginx/manifests/1.27");
        assertEquals(expected, relativeFiles(dir));
        assertArrayEquals(image.root().bytes(), Files.readAllBytes(dir.resolve("registry-1.docker.io/library/nginx/manifests/1.27")));
        for (Manifest child : image.children()) {
            assertArrayEquals(child.bytes(), Files.readAllBytes(dir.resolve("registry-1.docker.io/library/nginx/manifests/" + child.digest())));
        }
        for (Map.Entry<Digest, byte[]> blob : image.blobs().entrySet()) {
            assertArrayEquals(blob.getValue(), Files.readAllBytes(dir.resolve("blobs/" + blob.getKey())));
        }
    }

    @Test
    void whatIsWrittenReadsBackByTagAndDigest() throws IOException {
        KubeKeyLayoutStore store = KubeKeyLayoutStore.open(dir);
        TestImage image = images.index("amd64", "arm64");
        ImageReference reference = ImageReference.parse("quay.io/prometheus/prometheus:v2.45.0");
        image.writeTo(store, reference);

        assertEquals(List.of(reference), store.list());
        assertEquals(image.root(), store.findManifest(reference).orElseThrow());
        assertEquals(image.root().descriptor(), store.resolve(reference).orElseThrow());
        assertEquals(image.root(), store.findManifest(reference.withDigest(image.root().digest())).orElseThrow());
        Manifest child = image.children().get(1);
        assertEquals(child, store.findManifest(reference.withDigest(child.digest())).orElseThrow());
        for (Map.Entry<Digest, byte[]> blob : image.blobs().entrySet()) {
            assertTrue(store.hasBlob(reference, TestImages.blobDescriptor(blob.getValue())));
            try (InputStream in = store.openBlob(reference, TestImages.blobDescriptor(blob.getValue()))) {
                assertArrayEquals(blob.getValue(), in.readAllBytes());
            }
        }
        assertTrue(store.findManifest(reference.withTag("other")).isEmpty());
        assertFalse(store.hasBlob(reference, TestImages.blobDescriptor(new byte[] {1})));
        assertEquals(image.children().get(0), store.fetchManifest(reference, image.children().get(0).digest()));
        assertEquals(image.root(), store.fetchManifest(reference, image.root().digest()));
        ImageException missing = assertThrows(ImageException.class, () -> store.fetchManifest(reference, Digest.sha256Of(new byte[] {1})));
        assertTrue(missing.getMessage().contains(store.describe()), missing.getMessage());
    }

    @Test
    void aBlobAlreadyPresentIsNotWrittenAgain() throws IOException {
        KubeKeyLayoutStore store = KubeKeyLayoutStore.open(dir);
        byte[] content = images.randomBytes(5000);
        ImageReference repository = ImageReference.parse("a/b");

        assertFalse(store.hasBlob(repository, TestImages.blobDescriptor(content)));
        store.writeBlob(repository, TestImages.blobDescriptor(content), TestImages.stream(content));
        assertTrue(store.hasBlob(repository, TestImages.blobDescriptor(content)));
        InputStream untouched = new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("the stream of a present blob must not be read");
            }
        };
        store.writeBlob(repository, TestImages.blobDescriptor(content), untouched);
    }

    @Test
    void filesAre0644AndFolders0755() throws IOException {
        KubeKeyLayoutStore store = KubeKeyLayoutStore.open(dir.resolve("images"));
        images.image("amd64", 1).writeTo(store, ImageReference.parse("localhost:5000/a/b:v1"));

        try (Stream<Path> paths = Files.walk(dir.resolve("images"))) {
            for (Path path : paths.toList()) {
                String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
                assertEquals(Files.isDirectory(path) ? "rwxr-xr-x" : "rw-r--r--", mode, path.toString());
            }
        }
    }

    @Test
    void anImagePulledByDigestIsListedByDigestAndItsChildrenAreNot() throws IOException {
        KubeKeyLayoutStore store = KubeKeyLayoutStore.open(dir);
        TestImage index = images.index("amd64", "arm64");
        TestImage single = images.image("amd64", 1);
        ImageReference byDigest = ImageReference.parse("docker.io/library/busybox@" + index.root().digest());
        ImageReference singleByDigest = ImageReference.parse("docker.io/library/busybox@" + single.root().digest());
        TestImage tagged = images.index("amd64");
        ImageReference tag = ImageReference.parse("busybox:1.36");

        index.writeTo(store, byDigest);
        single.writeTo(store, singleByDigest);
        tagged.writeTo(store, tag);

        assertTrue(Files.isRegularFile(dir.resolve("registry-1.docker.io/library/busybox/manifests/" + index.root().digest())));
        assertEquals(Set.of(byDigest, singleByDigest, tag), Set.copyOf(store.list()));
        assertEquals(index.root(), store.findManifest(byDigest).orElseThrow());
    }

    @Test
    void aRootWrittenBothByDigestAndByTagIsListedOnceByTag() throws IOException {
        KubeKeyLayoutStore store = KubeKeyLayoutStore.open(dir);
        TestImage image = images.image("amd64", 1);
        ImageReference reference = ImageReference.parse("a.io/x/y:v1");
        image.writeTo(store, reference);
        store.writeManifest(reference, image.root());

        assertEquals(List.of(reference), store.list());
    }

    @Test
    void listingFollowsTheOriginalRuleAndItsEdgeCases() throws IOException {
        KubeKeyLayoutStore store = KubeKeyLayoutStore.open(dir);
        TestImage image = images.image(MediaTypes.DOCKER_MANIFEST, "amd64", 1);
        image.writeTo(store, ImageReference.parse("registry.example.com/a/b/c:v1"));
        Path manifests = dir.resolve("registry.example.com/a/b/c/manifests");
        Files.write(manifests.resolve("empty"), new byte[0]);
        Files.writeString(manifests.resolve("notjson"), "this is { not json");
        Files.writeString(manifests.resolve("nomediatype"), "{\"schemaVersion\":2}");
        Files.writeString(manifests.resolve("config"), "{\"mediaType\":\"" + MediaTypes.OCI_CONFIG + "\"}");
        Files.write(manifests.resolve("sha256:notadigest"), image.root().bytes());
        Files.write(manifests.resolve(AtomicFiles.TEMP_PREFIX + "abc"), image.root().bytes());
        Files.createSymbolicLink(manifests.resolve("dangling"), dir.resolve("nowhere"));
        Files.createDirectories(manifests.resolve("adirectory"));
        Files.createDirectories(dir.resolve("blobs/x/manifests"));
        Files.write(dir.resolve("blobs/x/manifests/v9"), image.root().bytes());
        Files.createDirectories(dir.resolve("registry.example.com/a/notmanifests"));
        Files.write(dir.resolve("registry.example.com/a/notmanifests/v3"), image.root().bytes());
        Files.createDirectories(dir.resolve("Bad_Registry!/x/manifests"));
        Files.write(dir.resolve("Bad_Registry!/x/manifests/v1"), image.root().bytes());
        Files.write(manifests.resolve("v2"), image.root().bytes());
        Files.write(dir.resolve("index.json"), image.root().bytes());

        assertEquals(List.of(ImageReference.parse("registry.example.com/a/b/c:v1"), ImageReference.parse("registry.example.com/a/b/c:v2")),
                store.list());
    }

    @Test
    void anEmptyOrMissingDirectoryListsNothing() throws IOException {
        assertEquals(List.of(), KubeKeyLayoutStore.open(dir.resolve("missing")).list());
        assertEquals(List.of(), KubeKeyLayoutStore.open(dir).list());
    }

    @Test
    void statisticsCountImagesBlobsAndBytes() throws IOException {
        KubeKeyLayoutStore store = KubeKeyLayoutStore.open(dir);
        TestImage a = images.image("amd64", 2);
        TestImage b = images.index("amd64", "arm64");
        a.writeTo(store, ImageReference.parse("a:1"));
        b.writeTo(store, ImageReference.parse("b:1"));
        Files.write(dir.resolve("blobs/" + AtomicFiles.TEMP_PREFIX + "left"), new byte[100]);

        long bytes = Stream.of(a, b).flatMap(i -> i.blobs().values().stream()).mapToLong(x -> x.length).sum();
        assertEquals(new ImagesDirectoryStats(2, a.blobs().size() + b.blobs().size(), bytes), store.stats());
    }

    static Set<String> relativeFiles(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(Files::isRegularFile).map(p -> root.relativize(p).toString())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
