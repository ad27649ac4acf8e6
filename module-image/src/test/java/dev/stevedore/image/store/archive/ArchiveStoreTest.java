package dev.stevedore.image.store.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.store.DigestMismatchException;
import dev.stevedore.image.testing.TestImages;
import dev.stevedore.image.testing.TestImages.TestImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bundle archive through its {@code ImageTarget} calls, checked with the system's {@code tar}: concurrent
 * blob writes, parts, a corrupt stream, long names, a torn tail resumed, a read that writes nothing.
 * Pulls and pushes through the real registry are {@link ArchiveRoundTripTest}; the kill is {@link ArchiveKillTest}.
 */
class ArchiveStoreTest {

    private static final ImageReference IMAGE = ImageReference.parse("registry.example.com/team/app:1");

    @TempDir
    Path work;

    private final Random random = new Random(17);

    private byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    static Descriptor descriptor(byte[] content) {
        return new Descriptor("application/octet-stream", Digest.sha256Of(content), content.length);
    }

    /**
     * Writes every blob into {@code store} from {@code threads} threads at once, each read from {@code stream};
     * fails as the first failed write does.
     */
    static void writeConcurrently(ArchiveStore store, List<byte[]> contents, int threads, Function<byte[], InputStream> stream)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (byte[] content : contents) {
                writes.add(pool.submit(() -> {
                    store.writeBlob(IMAGE, descriptor(content), stream.apply(content));
                    return null;
                }));
            }
            for (Future<?> write : writes) {
                write.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 5000})
    void blobsWrittenFromManyThreadsAtOnceAreEachAWholeMemberThatTarExtractsByteExact(long maxPartSize) throws Exception {
        List<byte[]> contents = new ArrayList<>();
        for (int i = 0; i < 48; i++) {
            contents.add(randomBytes(i * 997 % 20_000 + (i % 3 == 0 ? 512 : 1))); // whole blocks, odd sizes, tiny ones
        }
        Path archive = work.resolve("bundle.tar");
        try (ArchiveStore store = ArchiveStore.open(archive, ArchiveOptions.defaults().withMaxPartSize(maxPartSize))) {
            writeConcurrently(store, contents, 12, TrickleStream::new);
        }

        Path tar = maxPartSize == 0 ? archive : TarTool.concatenate(parts(archive), work.resolve("joined.tar"));
        if (maxPartSize > 0) {
            assertFalse(Files.exists(archive), "only parts are written");
            List<Path> parts = parts(archive);
            assertTrue(parts.size() > 10, parts.toString());
            for (Path part : parts.subList(0, parts.size() - 1)) {
                assertEquals(maxPartSize, Files.size(part), part + " is cut at max_part_size");
            }
        }
        Path extracted = TarTool.extract(tar, work.resolve("x"));
        for (byte[] content : contents) {
            assertArrayEquals(content, Files.readAllBytes(extracted.resolve("blobs").resolve(Digest.sha256Of(content).toString())));
        }
        try (Stream<Path> files = Files.list(extracted.resolve("blobs"))) {
            assertEquals(contents.size(), files.count(), "nothing but the blobs");
        }
        try (ArchiveStore reopened = ArchiveStore.open(maxPartSize == 0 ? archive : parts(archive).get(0), ArchiveOptions.defaults())) {
            for (byte[] content : contents) {
                assertTrue(reopened.hasBlob(IMAGE, descriptor(content)));
                try (InputStream in = reopened.openBlob(IMAGE, descriptor(content))) {
                    assertArrayEquals(content, in.readAllBytes());
                }
            }
        }
    }

    @Test
    void aCorruptStreamNeverStandsUnderTheBlobsNameAndTheNextWriteStoresTheRightBytes() throws Exception {
        byte[] content = randomBytes(70_000);
        byte[] corrupt = content.clone();
        corrupt[40_000] ^= 1;
        Path archive = work.resolve("bundle.tar");
        try (ArchiveStore store = ArchiveStore.open(archive, ArchiveOptions.defaults())) {
            DigestMismatchException failure = assertThrows(DigestMismatchException.class,
                    () -> store.writeBlob(IMAGE, descriptor(content), new ByteArrayInputStream(corrupt)));
            assertTrue(failure.getMessage().contains(descriptor(content).digest().toString()), failure.getMessage());
            assertFalse(store.hasBlob(IMAGE, descriptor(content)));
            assertThrows(DigestMismatchException.class, () -> store.writeBlob(IMAGE, descriptor(content),
                    new ByteArrayInputStream(content, 0, 69_999)), "a short stream");
            assertThrows(DigestMismatchException.class, () -> store.writeBlob(IMAGE, descriptor(content),
                    new ByteArrayInputStream(concat(content, new byte[1]))), "a long stream");
        }
        List<String> names = TarTool.list(archive);
        assertFalse(names.contains("blobs/" + descriptor(content).digest()), names.toString());
        assertEquals(List.of("blobs/.tmp-partial-" + descriptor(content).digest()),
                names.stream().filter(n -> n.startsWith("blobs/") && !n.equals("blobs/")).toList(), "each failed write reused the region of the first");
        try (ArchiveStore store = ArchiveStore.open(archive, ArchiveOptions.defaults())) {
            assertFalse(store.hasBlob(IMAGE, descriptor(content)), "a partial member is not a blob");
            store.writeBlob(IMAGE, descriptor(content), new ByteArrayInputStream(content));
        }
        assertEquals(List.of("blobs/" + descriptor(content).digest()),
                TarTool.list(archive).stream().filter(n -> n.startsWith("blobs/") && !n.equals("blobs/")).toList(), "written into the cut region");
        Path extracted = TarTool.extract(archive, work.resolve("x"));
        assertArrayEquals(content, Files.readAllBytes(extracted.resolve("blobs").resolve(descriptor(content).digest().toString())));
    }

    @Test
    void manifestsAndTagListsAreMembersThatTarExtractsAsTheDirectoryLayoutWithNamesOverAHundredBytes() throws Exception {
        TestImage image = TestImages.index(Map.of("linux/amd64", TestImages.single("linux/amd64", "a"),
                "linux/arm64", TestImages.single("linux/arm64", "b")));
        ImageReference longName = ImageReference.parse("registry.example.com/" + "a-rather-long-namespace/".repeat(4) + "app:1.0");
        Path archive = work.resolve("bundle.tar");
        Path directory = work.resolve("directory");
        try (ArchiveStore store = ArchiveStore.open(archive, ArchiveOptions.defaults());
             dev.stevedore.image.store.KubeKeyLayoutStore plain = dev.stevedore.image.store.KubeKeyLayoutStore.open(directory)) {
            for (dev.stevedore.image.target.ImageTarget target : List.of(store, plain)) {
                for (Map.Entry<Digest, byte[]> blob : image.blobs().entrySet()) {
                    target.writeBlob(longName, new Descriptor("application/octet-stream", blob.getKey(), blob.getValue().length),
                            new ByteArrayInputStream(blob.getValue()));
                }
                for (var child : image.children()) {
                    target.writeManifest(longName, child);
                }
                target.tag(longName, image.root());
            }
            assertEquals(List.of(longName), store.list());
            assertEquals(image.root().digest(), store.resolve(longName).orElseThrow().digest());
        }
        assertEquals(TarTool.tree(directory), TarTool.tree(TarTool.extract(archive, work.resolve("x"))));
        try (ArchiveStore reopened = ArchiveStore.open(archive, ArchiveOptions.defaults())) {
            assertEquals(List.of(longName), reopened.list());
            assertArrayEquals(image.root().bytes(), reopened.fetchManifest(longName).orElseThrow().bytes());
            for (var child : image.children()) {
                assertArrayEquals(child.bytes(), reopened.fetchManifest(longName, child.digest()).bytes());
            }
        }
    }

    @Test
    void anArchiveThatIsOnlyReadIsLeftExactlyAsItWas() throws Exception {
        Path archive = work.resolve("bundle.tar");
        byte[] content = randomBytes(3000);
        try (ArchiveStore store = ArchiveStore.open(archive, ArchiveOptions.defaults())) {
            store.writeBlob(IMAGE, descriptor(content), new ByteArrayInputStream(content));
        }
        byte[] before = Files.readAllBytes(archive);
        archive.toFile().setReadOnly();
        try (ArchiveStore store = ArchiveStore.open(archive, ArchiveOptions.defaults())) {
            assertTrue(store.hasBlob(IMAGE, descriptor(content)));
            store.list();
            try (InputStream in = store.openBlob(IMAGE, descriptor(content), 1000)) {
                assertArrayEquals(java.util.Arrays.copyOfRange(content, 1000, 3000), in.readAllBytes());
            }
        }
        assertArrayEquals(before, Files.readAllBytes(archive));
    }

    @Test
    void aTornTailIsCutOnTheNextWriteAndTheCompleteBlobsBeforeItAreKept() throws Exception {
        Path archive = work.resolve("bundle.tar");
        List<byte[]> contents = List.of(randomBytes(10_000), randomBytes(20_000), randomBytes(30_000));
        try (ArchiveStore store = ArchiveStore.open(archive, ArchiveOptions.defaults())) {
            for (byte[] content : contents) {
                store.writeBlob(IMAGE, descriptor(content), new ByteArrayInputStream(content));
            }
        }
        // As a kill would leave it: the last member cut in the middle, no end-of-archive marker.
        long cut = Files.size(archive) - 1024 - 512 - 12_000;
        try (FileChannel channel = FileChannel.open(archive, StandardOpenOption.WRITE)) {
            channel.truncate(cut);
        }
        AtomicInteger reads = new AtomicInteger();
        try (ArchiveStore store = ArchiveStore.open(archive, ArchiveOptions.defaults())) {
            assertTrue(store.hasBlob(IMAGE, descriptor(contents.get(0))));
            assertTrue(store.hasBlob(IMAGE, descriptor(contents.get(1))));
            assertFalse(store.hasBlob(IMAGE, descriptor(contents.get(2))), "the cut member is not a blob");
            for (byte[] content : contents) {
                store.writeBlob(IMAGE, descriptor(content), countingReads(content, reads));
            }
        }
        assertTrue(reads.get() > 0 && reads.get() <= 2, "only the cut blob is read again: " + reads);
        List<String> names = TarTool.list(archive);
        assertEquals(3, names.stream().filter(n -> n.startsWith("blobs/sha256:")).count(), names.toString());
        Path extracted = TarTool.extract(archive, work.resolve("x"));
        for (byte[] content : contents) {
            assertArrayEquals(content, Files.readAllBytes(extracted.resolve("blobs").resolve(descriptor(content).digest().toString())));
        }
    }

    @Test
    void aPushGivenTheFirstPartFindsTheRestAndAMissingMiddlePartIsNamed() throws Exception {
        Path archive = work.resolve("bundle.tar");
        byte[] content = randomBytes(50_000);
        try (ArchiveStore store = ArchiveStore.open(archive, ArchiveOptions.defaults().withMaxPartSize(8192))) {
            store.writeBlob(IMAGE, descriptor(content), new ByteArrayInputStream(content));
        }
        List<Path> parts = parts(archive);
        try (ArchiveStore store = ArchiveStore.open(parts.get(0), ArchiveOptions.defaults());
             InputStream in = store.openBlob(IMAGE, descriptor(content))) {
            assertArrayEquals(content, in.readAllBytes());
        }
        Files.delete(parts.get(2));
        IOException missing = assertThrows(IOException.class, () -> ArchiveStore.open(parts.get(0), ArchiveOptions.defaults()));
        assertTrue(missing.getMessage().contains("bundle.tar.part-0003"), missing.getMessage());
    }

    @Test
    void aBundleOfOnePartIsReadByThePartsNameOrTheBaseName() throws Exception {
        Path archive = work.resolve("small.tar");
        byte[] content = randomBytes(5_000);
        try (ArchiveStore store = ArchiveStore.open(archive, ArchiveOptions.defaults().withMaxPartSize(1 << 20))) {
            store.writeBlob(IMAGE, descriptor(content), new ByteArrayInputStream(content));
        }
        assertEquals(List.of(work.resolve("small.tar.part-0001")), parts(archive));
        for (Path given : List.of(archive, work.resolve("small.tar.part-0001"))) {
            try (ArchiveStore store = ArchiveStore.open(given, ArchiveOptions.defaults());
                 InputStream in = store.openBlob(IMAGE, descriptor(content))) {
                assertArrayEquals(content, in.readAllBytes(), given.toString());
            }
        }
        IOException oneFile = assertThrows(IOException.class, () -> {
            try (ArchiveStore store = ArchiveStore.open(archive, ArchiveOptions.defaults())) {
                byte[] more = randomBytes(10);
                store.writeBlob(IMAGE, descriptor(more), new ByteArrayInputStream(more));
            }
        });
        assertTrue(oneFile.getMessage().contains("max_part_size"), oneFile.getMessage());
    }

    @Test
    void aFileThatIsNotATarIsRefusedAndLeftAsItWas() throws Exception {
        Path notATar = Files.write(work.resolve("bundle.tar"), randomBytes(4096));
        byte[] before = Files.readAllBytes(notATar);
        IOException refused = assertThrows(IOException.class, () -> ArchiveStore.open(notATar, ArchiveOptions.defaults()));
        assertTrue(refused.getMessage().contains("is not a tar archive"), refused.getMessage());
        assertArrayEquals(before, Files.readAllBytes(notATar));
    }

    @Test
    void aFileShorterThanAHeaderBlockIsRefusedUnlessItIsTheStartOfThisStoresFirstMember() throws Exception {
        Path notes = Files.writeString(work.resolve("notes.tar"), "a short text file, not a bundle\n");
        IOException refused = assertThrows(IOException.class, () -> ArchiveStore.open(notes, ArchiveOptions.defaults()));
        assertTrue(refused.getMessage().contains("is not a tar archive"), refused.getMessage());
        assertEquals("a short text file, not a bundle\n", Files.readString(notes), "left as it was");

        byte[] content = randomBytes(700);
        for (byte[] before : List.of(new byte[0], Arrays.copyOf(TarHeaders.member(BlobMemberWriter.PARTIAL_PREFIX + Digest.sha256Of(content),
                content.length, TarHeaders.REGULAR, 0644, 0), 300))) {
            Path archive = Files.write(work.resolve("cut-" + before.length + ".tar"), before); // empty, or a first header cut by a crash
            try (ArchiveStore store = ArchiveStore.open(archive, ArchiveOptions.defaults())) {
                store.writeBlob(IMAGE, descriptor(content), new ByteArrayInputStream(content));
            }
            assertEquals(List.of("blobs/" + Digest.sha256Of(content), "blobs/"), TarTool.list(archive));
        }
    }

    @Test
    void aCompressedBundleIsRefusedNamingItsCompressionAndLeftAsItWas() throws Exception {
        Path archive = work.resolve("bundle.tar");
        try (ArchiveStore store = ArchiveStore.open(archive, ArchiveOptions.defaults())) {
            byte[] content = randomBytes(3000);
            store.writeBlob(IMAGE, descriptor(content), new ByteArrayInputStream(content));
        }
        byte[] tar = Files.readAllBytes(archive);
        java.io.ByteArrayOutputStream gzip = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(gzip)) {
            out.write(tar);
        }
        Map<String, byte[]> compressed = Map.of("gunzip", gzip.toByteArray(), "unzstd", zstdFrame(Arrays.copyOf(tar, 1024)));
        for (Map.Entry<String, byte[]> entry : compressed.entrySet()) {
            Files.write(archive, entry.getValue());
            IOException refused = assertThrows(IOException.class, () -> ArchiveStore.open(archive, ArchiveOptions.defaults()));
            assertTrue(refused.getMessage().startsWith(archive + " is not a tar archive: it is compressed with "), refused.getMessage());
            assertTrue(refused.getMessage().contains("decompress it first, with " + entry.getKey() + ","), refused.getMessage());
            assertArrayEquals(entry.getValue(), Files.readAllBytes(archive));
        }
    }

    /**
     * {@code content} (256 to 65,791 bytes) as one zstd frame (RFC 8878) the way zstd stores what it cannot
     * compress: the magic number, a frame header with the single-segment flag and a 2-byte content size (stored
     * less 256), and one raw block marked last.
     */
    private static byte[] zstdFrame(byte[] content) {
        int size = content.length;
        int blockHeader = 1 | size << 3; // last block, type raw (0), size
        byte[] head = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 0x60, (byte) (size - 256), (byte) ((size - 256) >> 8),
                (byte) blockHeader, (byte) (blockHeader >> 8), (byte) (blockHeader >> 16)};
        byte[] frame = Arrays.copyOf(head, head.length + size);
        System.arraycopy(content, 0, frame, head.length, size);
        return frame;
    }

    @Test
    void aMemberOverEightGibibytesHasItsSizeInAPaxHeaderThatTarReads() throws Exception {
        long size = TarHeaders.MAX_USTAR_SIZE + 2; // 8 GiB + 1: beyond the ustar size field
        Path archive = work.resolve("large.tar");
        byte[] headers = TarHeaders.member("blobs/large", size, TarHeaders.REGULAR, 0644, 0);
        try (FileChannel channel = FileChannel.open(archive, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(headers), 0);
            channel.write(java.nio.ByteBuffer.wrap(new byte[1024]), headers.length + TarHeaders.padded(size)); // sparse content
        }
        try (SplitFile file = SplitFile.open(archive, 0)) {
            ArchiveScan scan = ArchiveScan.of(file);
            assertEquals(1, scan.members().size(), scan.toString());
            assertEquals(size, scan.members().get(0).size());
            assertEquals(null, scan.torn());
        }
        Process tar = new ProcessBuilder("tar", "-tvf", archive.toString()).redirectErrorStream(true).start();
        String listing = new String(tar.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, tar.waitFor(), listing);
        assertTrue(listing.contains(Long.toString(size)) && listing.contains("blobs/large"), listing);
    }

    static List<Path> parts(Path archive) throws IOException {
        try (Stream<Path> files = Files.list(archive.getParent())) {
            return files.filter(p -> p.getFileName().toString().startsWith(archive.getFileName() + ".part-")).sorted().toList();
        }
    }

    /** {@code content} as a stream that counts its reads into {@code reads}: whether a write read it at all. */
    static InputStream countingReads(byte[] content, AtomicInteger reads) {
        return new ByteArrayInputStream(content) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                reads.incrementAndGet();
                return super.read(b, off, len);
            }
        };
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Hands out a few hundred bytes per read, so that writes of many blobs interleave. */
    private static final class TrickleStream extends ByteArrayInputStream {
        TrickleStream(byte[] content) {
            super(content);
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            Thread.yield();
            return super.read(b, off, Math.min(len, 333));
        }
    }
}
