package dev.stevedore.image.store;

import static dev.stevedore.image.store.KubeKeyLayoutStoreTest.relativeFiles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stevedore.image.error.ImageException;
import dev.stevedore.image.oci.Manifest;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.store.TestImages.TestImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciLayoutStoreTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final TestImages images = new TestImages(11);

    @Test
    void anImageIsStoredInTheStandardLayout() throws IOException {
        OciLayoutStore store = OciLayoutStore.open(dir);
        TestImage image = images.index("amd64", "arm64");
        ImageReference reference = ImageReference.parse("nginx:1.27");

        image.writeTo(store, reference);

        Set<String> expected = new TreeSet<>(Set.of("oci-layout", "index.json"));
        image.blobs().keySet().forEach(d -> expected.add("blobs/sha256/" + d.hex()));
        image.children().forEach(c -> expected.add("blobs/sha256/" + c.digest().hex()));
        expected.add("blobs/sha256/" + image.root().digest().hex());
        assertEquals(expected, relativeFiles(dir));
        assertEquals("{\"imageLayoutVersion\":\"1.0.0\"}", Files.readString(dir.resolve("oci-layout")));
        assertEquals("{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"digest\":\""
                + image.root().digest() + "\",\"size\":" + image.root().size()
                + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"docker.io/library/nginx:1.27\"}}]}",
                Files.readString(dir.resolve("index.json")));
        assertArrayEquals(image.root().bytes(), Files.readAllBytes(dir.resolve("blobs/sha256/" + image.root().digest().hex())));
    }

    @Test
    void whatIsWrittenReadsBack() throws IOException {
        OciLayoutStore store = OciLayoutStore.open(dir);
        TestImage image = images.index("amd64", "arm64");
        ImageReference reference = ImageReference.parse("localhost:5000/team/app:v1");
        image.writeTo(store, reference);

        OciLayoutStore reopened = OciLayoutStore.open(dir);
        assertEquals(List.of(reference), reopened.list());
        assertEquals(image.root(), reopened.findManifest(reference).orElseThrow());
        assertEquals(image.root().descriptor(), reopened.resolve(reference).orElseThrow());
        Manifest child = image.children().get(0);
        assertEquals(child, reopened.findManifest(reference.withDigest(child.digest())).orElseThrow());
        for (Map.Entry<Digest, byte[]> blob : image.blobs().entrySet()) {
            try (InputStream in = reopened.openBlob(reference, TestImages.blobDescriptor(blob.getValue()))) {
                assertArrayEquals(blob.getValue(), in.readAllBytes());
            }
        }
        assertTrue(reopened.resolve(reference.withTag("v2")).isEmpty());
    }

    @Test
    void retaggingReplacesTheEntryAndKeepsOthers() throws IOException {
        OciLayoutStore store = OciLayoutStore.open(dir);
        TestImage first = images.image("amd64", 1);
        TestImage second = images.image("amd64", 1);
        TestImage byDigest = images.image("arm64", 1);
        ImageReference latest = ImageReference.parse("nginx");
        ImageReference pinned = ImageReference.parse("nginx@" + byDigest.root().digest());
        first.writeTo(store, latest);
        byDigest.writeTo(store, pinned);
        second.writeTo(store, ImageReference.parse("docker.io/library/nginx:latest"));

        assertEquals(List.of(latest, pinned), store.list());
        assertEquals(second.root(), store.findManifest(latest).orElseThrow());
        store.close();
        assertEquals(2, JSON.readTree(dir.resolve("index.json").toFile()).get("manifests").size());
    }

    @Test
    void aChangeOfTheIndexByAnotherWriterIsSeenByTheNextLookUp() throws IOException {
        OciLayoutStore reader = OciLayoutStore.open(dir);
        OciLayoutStore writer = OciLayoutStore.open(dir);
        TestImage first = images.image("amd64", 1);
        TestImage second = images.image("amd64", 1);
        ImageReference app = ImageReference.parse("localhost:5000/app:v1");
        assertTrue(reader.resolve(app).isEmpty(), "no index yet");

        first.writeTo(writer, app);
        assertEquals(first.root().descriptor(), reader.resolve(app).orElseThrow());
        second.writeTo(writer, app);
        writer.close(); // a store writes its tags about once a second, and at the latest when it closes
        assertEquals(second.root().descriptor(), reader.resolve(app).orElseThrow(), "the other instance's retag, once it closed");

        // A tool that rewrites index.json in place, to the same size (one entry renamed), and puts its time back.
        Path index = dir.resolve("index.json");
        String text = Files.readString(index);
        var modified = Files.getLastModifiedTime(index);
        Files.writeString(index, text.replace("localhost:5000/app:v1", "localhost:5000/app:v2"));
        Files.setLastModifiedTime(index, modified);
        assertTrue(reader.resolve(app).isEmpty(), "an edit in place is seen by the inode's change time: " + reader.list());
        assertEquals(List.of(app.withTag("v2")), reader.list());
    }

    @Test
    void manyImagesTaggedConcurrentlyAreAllInTheIndex() throws Exception {
        List<OciLayoutStore> stores = List.of(OciLayoutStore.open(dir), OciLayoutStore.open(dir));
        List<TestImage> all = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            all.add(images.image("amd64", 1));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                int n = i;
                done.add(pool.submit(() -> {
                    all.get(n).writeTo(stores.get(n % 2), ImageReference.parse("example.com/app" + n + ":v" + n));
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        for (OciLayoutStore store : stores) {
            store.close();
        }
        assertEquals(all.size(), OciLayoutStore.open(dir).list().size());
        for (int i = 0; i < all.size(); i++) {
            assertEquals(all.get(i).root(), stores.get(0).findManifest(ImageReference.parse("example.com/app" + i + ":v" + i)).orElseThrow());
        }
    }

    @Test
    void entriesWithoutAFullNameOrWithCraftedValuesAreIgnored() throws IOException {
        OciLayoutStore store = OciLayoutStore.open(dir);
        TestImage image = images.image("amd64", 1);
        image.writeTo(store, ImageReference.parse("a.io/b:1"));
        String d = image.root().digest().toString();
        String entry = "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"%s\",\"size\":%d,"
                + "\"annotations\":{\"org.opencontainers.image.ref.name\":\"%s\"}}";
        int size = image.root().size();
        Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":["
                + String.format(entry, d, size, "a.io/b:1") + ","
                + String.format(entry, d, size, "latest") + ","
                + String.format(entry, d, size, "../../etc/passwd:x") + ","
                + String.format(entry, "sha256:../../../../etc/passwd", size, "a.io/c:1") + ","
                + String.format(entry, d, -4, "a.io/d:1") + ","
                + "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + d + "\",\"size\":" + size + "}"
                + "],\"annotations\":{\"kept\":\"yes\"}}");

        assertEquals(List.of(ImageReference.parse("a.io/b:1")), store.list());
        image.writeTo(store, ImageReference.parse("a.io/e:2"));
        store.close();
        JsonNode index = JSON.readTree(dir.resolve("index.json").toFile());
        assertEquals("yes", index.path("annotations").path("kept").asText());
        assertEquals(7, index.get("manifests").size());
    }

    @Test
    void aLayoutOfAnotherVersionIsRefused() throws IOException {
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"2.0.0\"}");
        OciLayoutStore store = OciLayoutStore.open(dir);
        ImageException e = assertThrows(ImageException.class, () -> images.image("amd64", 1).writeTo(store, ImageReference.parse("a:1")));
        assertTrue(e.getMessage().contains("version 1.x"), e.getMessage());
    }

    @Test
    void statisticsCountImagesBlobsAndBytes() throws IOException {
        OciLayoutStore store = OciLayoutStore.open(dir);
        TestImage image = images.image("amd64", 2);
        image.writeTo(store, ImageReference.parse("a:1"));
        long bytes = image.blobs().values().stream().mapToLong(b -> b.length).sum() + image.root().size();
        assertEquals(new ImagesDirectoryStats(1, image.blobs().size() + 1, bytes), store.stats());
    }
}
