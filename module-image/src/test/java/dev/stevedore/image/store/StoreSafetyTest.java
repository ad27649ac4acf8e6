package dev.stevedore.image.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.image.error.ImageException;
import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.oci.Manifest;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.target.ImageTarget;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Atomicity, verification, crash left-overs and concurrency, for both directory stores. */
class StoreSafetyTest {

    @TempDir
    Path dir;

    private final TestImages images = new TestImages(3);
    private final ImageReference repository = ImageReference.parse("registry.example.com/team/app");

    /** A layout: how to open it, and where it keeps a blob. */
    record Layout(String name, BiFunction<Path, StoreOptions, ImageTarget> open, BiFunction<Path, Digest, Path> blobPath) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> layouts() {
        return Stream.of(
                Arguments.of(new Layout("KubeKey", KubeKeyLayoutStore::open, (root, d) -> root.resolve("blobs").resolve(d.toString()))),
                Arguments.of(new Layout("OCI", OciLayoutStore::open, (root, d) -> root.resolve("blobs/sha256").resolve(d.hex()))));
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void concurrentWritersOfOneBlobEndWithOneCorrectFile(Layout layout) throws Exception {
        ImageTarget store = layout.open().apply(dir, StoreOptions.defaults());
        byte[] content = images.randomBytes(3_000_000);
        int writers = 6;
        CyclicBarrier start = new CyclicBarrier(writers);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> results = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    store.writeBlob(repository, TestImages.blobDescriptor(content), TestImages.stream(content));
                    return null;
                }));
            }
            for (Future<?> result : results) {
                result.get();
            }
        } finally {
            pool.shutdownNow();
        }
        Path blob = layout.blobPath().apply(dir, Digest.sha256Of(content));
        assertArrayEquals(content, Files.readAllBytes(blob));
        assertEquals(List.of(blob.getFileName().toString()), fileNames(blob.getParent()));
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void concurrentWritersOfDifferentBlobsAllSucceed(Layout layout) throws Exception {
        ImageTarget store = layout.open().apply(dir, StoreOptions.defaults());
        List<byte[]> blobs = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            blobs.add(images.randomBytes(10_000 + i * 5000));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> results = new ArrayList<>();
            for (byte[] blob : blobs) {
                results.add(pool.submit(() -> {
                    store.writeBlob(repository, TestImages.blobDescriptor(blob), TestImages.stream(blob));
                    return null;
                }));
            }
            for (Future<?> result : results) {
                result.get();
            }
        } finally {
            pool.shutdownNow();
        }
        for (byte[] blob : blobs) {
            assertArrayEquals(blob, Files.readAllBytes(layout.blobPath().apply(dir, Digest.sha256Of(blob))));
        }
        Path folder = layout.blobPath().apply(dir, Digest.sha256Of(blobs.get(0))).getParent();
        assertEquals(blobs.size(), fileNames(folder).size());
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void contentWithAnotherDigestIsRefusedAndLeavesNothing(Layout layout) throws IOException {
        ImageTarget store = layout.open().apply(dir, StoreOptions.defaults());
        byte[] promised = images.randomBytes(4000);
        byte[] delivered = promised.clone();
        delivered[1234] ^= 1;

        DigestMismatchException e = assertThrows(DigestMismatchException.class,
                () -> store.writeBlob(repository, TestImages.blobDescriptor(promised), TestImages.stream(delivered)));

        assertEquals(Digest.sha256Of(promised), e.expected());
        assertEquals(Digest.sha256Of(delivered), e.actual());
        assertTrue(e.getMessage().contains(Digest.sha256Of(promised).toString()), e.getMessage());
        assertTrue(e.getMessage().contains(Digest.sha256Of(delivered).toString()), e.getMessage());
        assertTrue(e.getMessage().contains(store.describe()), e.getMessage());
        Path blob = layout.blobPath().apply(dir, Digest.sha256Of(promised));
        assertEquals(List.of(), fileNames(blob.getParent()));
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void contentShorterOrLongerThanPromisedIsRefused(Layout layout) throws IOException {
        ImageTarget store = layout.open().apply(dir, StoreOptions.defaults());
        byte[] content = images.randomBytes(4000);
        Descriptor promised = TestImages.blobDescriptor(content);
        byte[] shorter = java.util.Arrays.copyOf(content, 3999);

        DigestMismatchException tooShort = assertThrows(DigestMismatchException.class,
                () -> store.writeBlob(repository, promised, TestImages.stream(shorter)));
        assertTrue(tooShort.getMessage().contains("expected 4000 bytes, got 3999"), tooShort.getMessage());

        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 7;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, (byte) 7);
                return len;
            }
        };
        DigestMismatchException tooLong = assertThrows(DigestMismatchException.class, () -> store.writeBlob(repository, promised, endless));
        assertTrue(tooLong.getMessage().contains("more than 4000"), tooLong.getMessage());
        assertEquals(List.of(), fileNames(layout.blobPath().apply(dir, promised.digest()).getParent()));
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void aCorruptBlobOfTheRightSizeIsTrustedUnlessVerifying(Layout layout) throws IOException {
        byte[] content = images.randomBytes(4000);
        Descriptor descriptor = TestImages.blobDescriptor(content);
        layout.open().apply(dir, StoreOptions.defaults()).writeBlob(repository, descriptor, TestImages.stream(content));
        Path blob = layout.blobPath().apply(dir, descriptor.digest());
        byte[] corrupt = content.clone();
        corrupt[0] ^= 1;
        Files.write(blob, corrupt);

        ImageTarget trusting = layout.open().apply(dir, StoreOptions.defaults());
        assertTrue(trusting.hasBlob(repository, descriptor));
        trusting.writeBlob(repository, descriptor, TestImages.stream(content));
        assertArrayEquals(corrupt, Files.readAllBytes(blob));
        ImageTarget verifying = layout.open().apply(dir, StoreOptions.defaults().withVerifyExistingBlobs());
        assertFalse(verifying.hasBlob(repository, descriptor));
        verifying.writeBlob(repository, descriptor, TestImages.stream(content));
        assertArrayEquals(content, Files.readAllBytes(blob));
        assertTrue(verifying.hasBlob(repository, descriptor));
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void aManifestFileThatDoesNotMatchItsDigestIsReportedNotReturned(Layout layout) throws IOException {
        ImageTarget store = layout.open().apply(dir, StoreOptions.defaults());
        Manifest child = images.image("amd64", 1).root();
        Manifest other = images.image("arm64", 1).root();
        store.writeManifest(repository, child);
        Path file = layout.name().equals("OCI") ? layout.blobPath().apply(dir, child.digest())
                : dir.resolve("registry.example.com/team/app/manifests/" + child.digest());
        Files.write(file, other.bytes());

        DigestMismatchException e = assertThrows(DigestMismatchException.class,
                () -> store.fetchManifest(repository, child.digest()));
        assertEquals(other.digest(), e.actual());
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void leftOversOfACrashAreIgnoredThenCleanedByTheNextRun(Layout layout) throws IOException {
        TestImages.TestImage image = images.index("amd64", "arm64");
        ImageReference reference = repository.withTag("v1");
        image.writeTo(layout.open().apply(dir, StoreOptions.defaults()), reference);
        // The crash: half-written temporary files, an old one in each folder, and a live writer's fresh one.
        Path blobFolder = layout.blobPath().apply(dir, image.blobs().keySet().iterator().next()).getParent();
        Path manifestFolder = layout.name().equals("OCI") ? dir : dir.resolve("registry.example.com/team/app/manifests");
        Path oldBlob = Files.write(blobFolder.resolve(AtomicFiles.TEMP_PREFIX + "crashed"), images.randomBytes(100));
        Path oldManifest = Files.write(manifestFolder.resolve(AtomicFiles.TEMP_PREFIX + "crashed"), image.root().bytes());
        Path live = Files.write(blobFolder.resolve(AtomicFiles.TEMP_PREFIX + "live"), images.randomBytes(100));
        FileTime hourAgo = FileTime.from(Instant.now().minus(Duration.ofHours(1)));
        Files.setLastModifiedTime(oldBlob, hourAgo);
        Files.setLastModifiedTime(oldManifest, hourAgo);

        ImageTarget next = layout.open().apply(dir, StoreOptions.defaults());
        assertEquals(List.of(reference), next.list());
        TestImages.TestImage another = images.image("amd64", 1);
        another.writeTo(next, repository.withTag("v2"));

        assertFalse(Files.exists(oldBlob));
        assertFalse(Files.exists(oldManifest));
        assertTrue(Files.exists(live), "a young temporary file may belong to a live writer");
        assertEquals(List.of(reference, repository.withTag("v2")), next.list());
        assertEquals(image.root(), next.fetchManifest(reference, next.resolve(reference).orElseThrow().digest()));
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void aNameThatWouldLeaveTheDirectoryIsRefusedBeforeAnyFileIsTouched(Layout layout) {
        ImageTarget store = layout.open().apply(dir.resolve("root"), StoreOptions.defaults());
        assertEquals(List.of(), fileNames(dir));
        // Every field that reaches a path: the grammar refuses all of them.
        for (String text : List.of("../evil/x:1", "a.io/../../x:1", "a.io/x/..:1", "a.io/x:../1", "a.io/x:..", "a.io/x@sha256:../../etc",
                "a.io/x@sha256:" + "../".repeat(21) + "a", "../../a.io/x:1", "a.io/./x:1", "a.io//x:1", "/abs/x:1")) {
            assertThrows(IllegalArgumentException.class, () -> store.resolve(ImageReference.parse(text)), text);
        }
        assertThrows(IllegalArgumentException.class, () -> new ImageReference("..", "x", "1", null));
        assertThrows(IllegalArgumentException.class, () -> new ImageReference("a.io", "x/../y", "1", null));
        assertThrows(IllegalArgumentException.class, () -> new ImageReference("a.io", "x", "../1", null));
        assertThrows(IllegalArgumentException.class, () -> new Digest("../" + "a".repeat(61)));
        assertFalse(Files.exists(dir.resolve("root")));
    }

    static List<String> fileNames(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
