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
import dev.stevedore.spi.Cancellation;
import dev.stevedore.spi.TaskLog;
import dev.stevedore.testsupport.Programs;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A {@code .tar.zst} bundle through its {@code ImageTarget} calls, checked with the {@code zstd} and {@code tar}
 * programs: concurrent writes of blobs in and beyond memory, parts, a corrupt stream, a torn tail resumed, a
 * corrupt frame, and files that are not such a bundle. Pulls and pushes through the real registry are
 * {@link ArchiveRoundTripTest}, the kill {@link ArchiveKillTest}, both for this format too.
 */
class ZstdArchiveTest {

    private static final ImageReference IMAGE = ImageReference.parse("registry.example.com/team/app:1");

    @TempDir
    Path work;

    private final Random random = new Random(29);

    private byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    /** Text that compresses, as a layer's files do before gzip. */
    private byte[] text(int size) {
        StringBuilder out = new StringBuilder();
        while (out.length() < size) {
            out.append("line ").append(random.nextInt(1000)).append(" of a configuration file\n");
        }
        return out.substring(0, size).getBytes(StandardCharsets.US_ASCII);
    }

    private static Descriptor descriptor(byte[] content) {
        return ArchiveStoreTest.descriptor(content);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 300_000})
    void blobsWrittenFromManyThreadsAtOnceAreEachAFrameThatZstdAndTarExtractByteExact(long maxPartSize) throws Exception {
        List<byte[]> contents = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            contents.add(i % 2 == 0 ? randomBytes(i * 997 % 20_000 + 1) : text(i * 1499 % 30_000 + 512));
        }
        contents.add(randomBytes(3 << 20)); // staged in a file beside the archive, not in memory
        contents.add(text(2 << 20));
        Path archive = work.resolve("bundle.tar.zst");
        try (ArchiveStore store = ArchiveStore.open(archive, ArchiveOptions.defaults().withMaxPartSize(maxPartSize))) {
            ArchiveStoreTest.writeConcurrently(store, contents, 8, ByteArrayInputStream::new);
            assertEquals(List.of(), staged(), "every staged frame is appended and deleted");
        }
        Path file = maxPartSize == 0 ? archive : TarTool.concatenate(ArchiveStoreTest.parts(archive), work.resolve("joined.tar.zst"));
        if (maxPartSize > 0) {
            assertFalse(Files.exists(archive), "only parts are written");
            assertTrue(ArchiveStoreTest.parts(archive).size() > 10, ArchiveStoreTest.parts(archive).toString());
        }
        long total = contents.stream().mapToLong(c -> c.length).sum();
        assertTrue(Files.size(file) < total, "the text compresses: " + Files.size(file) + " of " + total);
        run(Programs.require("zstd"), "-q", "-t", file.toString()); // every frame checks, its content checksum included
        Path extracted = TarTool.extract(file, work.resolve("x"));
        for (byte[] content : contents) {
            assertArrayEquals(content, Files.readAllBytes(extracted.resolve("blobs").resolve(Digest.sha256Of(content).toString())));
        }
        try (Stream<Path> files = Files.list(extracted.resolve("blobs"))) {
            assertEquals(contents.size(), files.count(), "nothing but the blobs");
        }
        try (ArchiveStore reopened = ArchiveStore.open(maxPartSize == 0 ? archive : ArchiveStoreTest.parts(archive).get(0),
                ArchiveOptions.defaults())) {
            for (byte[] content : contents) {
                assertTrue(reopened.hasBlob(IMAGE, descriptor(content)));
                int offset = content.length / 3;
                try (InputStream in = reopened.openBlob(IMAGE, descriptor(content), offset)) {
                    assertArrayEquals(Arrays.copyOfRange(content, offset, content.length), in.readAllBytes(), "read from an offset");
                }
            }
        }
    }

    @Test
    void aCorruptStreamNeverStandsUnderTheBlobsNameAndTheNextWriteFillsItsHole() throws Exception {
        byte[] stored = randomBytes(2 << 20); // written in place: a failed write leaves a hole
        byte[] compressed = text(2 << 20); // staged: a failed write leaves nothing
        Path archive = work.resolve("bundle.tar.zst");
        try (ArchiveStore store = ArchiveStore.open(archive, ArchiveOptions.defaults())) {
            for (byte[] content : List.of(stored, compressed)) {
                byte[] corrupt = content.clone();
                corrupt[1 << 20] ^= 1;
                DigestMismatchException failure = assertThrows(DigestMismatchException.class,
                        () -> store.writeBlob(IMAGE, descriptor(content), new ByteArrayInputStream(corrupt)));
                assertTrue(failure.getMessage().contains(descriptor(content).digest().toString()), failure.getMessage());
                assertFalse(store.hasBlob(IMAGE, descriptor(content)));
                assertThrows(DigestMismatchException.class, () -> store.writeBlob(IMAGE, descriptor(content),
                        new ByteArrayInputStream(content, 0, content.length - 1)), "a short stream");
            }
            long hole = Files.size(archive);
            assertEquals(ZstdFrameBody.PREFIX + StoredFrame.length(512 + (2 << 20)), hole,
                    "one hole for the stored blob's failed writes, nothing for the compressed one's");
            assertEquals(List.of(), staged(), "no staged frame is left");
            store.writeBlob(IMAGE, descriptor(stored), new ByteArrayInputStream(stored));
            assertEquals(hole, Files.size(archive), "written into its hole");
            store.writeBlob(IMAGE, descriptor(compressed), new ByteArrayInputStream(compressed));
        }
        assertEquals(List.of("blobs/" + descriptor(stored).digest(), "blobs/" + descriptor(compressed).digest(), "blobs/"),
                list(archive));
        run(Programs.require("zstd"), "-q", "-t", archive.toString());
    }

    @Test
    void aHoleAKilledWriteLeftIsSkippedByZstdAndFilledByTheNextRun() throws Exception {
        byte[] first = randomBytes(300_000);
        byte[] cut = randomBytes(500_000);
        byte[] after = randomBytes(100_000);
        Path archive = work.resolve("bundle.tar.zst");
        try (ArchiveStore store = ArchiveStore.open(archive, ArchiveOptions.defaults())) {
            store.writeBlob(IMAGE, descriptor(first), new ByteArrayInputStream(first));
            // As a kill mid-blob leaves it, with another blob complete after it: the stream ends early.
            assertThrows(DigestMismatchException.class, () -> store.writeBlob(IMAGE, descriptor(cut), new ByteArrayInputStream(cut, 0, 200_000)));
            store.writeBlob(IMAGE, descriptor(after), new ByteArrayInputStream(after));
        }
        assertEquals(List.of("blobs/" + descriptor(first).digest(), "blobs/" + descriptor(after).digest(), "blobs/"), list(archive),
                "zstd and tar pass over the hole");
        long size = Files.size(archive);
        AtomicInteger reads = new AtomicInteger();
        try (ArchiveStore store = ArchiveStore.open(archive, ArchiveOptions.defaults())) {
            assertTrue(store.torn().isEmpty(), store.torn().toString());
            assertFalse(store.hasBlob(IMAGE, descriptor(cut)));
            for (byte[] content : List.of(first, cut, after)) {
                store.writeBlob(IMAGE, descriptor(content), ArchiveStoreTest.countingReads(content, reads));
            }
        }
        assertTrue(reads.get() > 0 && reads.get() <= 10, "only the cut blob is read again: " + reads);
        assertTrue(Files.size(archive) < size + 10_000, "its hole is filled, not a new region: " + size + " then " + Files.size(archive));
        Path extracted = TarTool.extract(archive, work.resolve("x"));
        for (byte[] content : List.of(first, cut, after)) {
            assertArrayEquals(content, Files.readAllBytes(extracted.resolve("blobs").resolve(descriptor(content).digest().toString())));
        }
        TarTool.sha256sumCheck(work, "bundle.tar.zst.sha256");
    }

    @Test
    void aTornTailIsCutOnTheNextWriteAndTheCompleteBlobsBeforeItAreKept() throws Exception {
        Path archive = work.resolve("bundle.tar.zst");
        List<byte[]> contents = List.of(randomBytes(10_000), text(20_000), randomBytes(30_000));
        try (ArchiveStore store = ArchiveStore.open(archive, ArchiveOptions.defaults())) {
            for (byte[] content : contents) {
                store.writeBlob(IMAGE, descriptor(content), new ByteArrayInputStream(content));
            }
        }
        long thirdStart;
        try (SplitFile file = SplitFile.open(archive, 0); ArchiveBody body = ArchiveBody.open(file, java.time.Clock.systemUTC())) {
            thirdStart = body.scan().members().get(2).start();
        }
        try (FileChannel channel = FileChannel.open(archive, StandardOpenOption.WRITE)) {
            channel.truncate(thirdStart + 5_000); // as a kill mid-append would leave it
        }
        AtomicInteger reads = new AtomicInteger();
        try (ArchiveStore store = ArchiveStore.open(archive, ArchiveOptions.defaults())) {
            assertTrue(store.torn().orElseThrow().contains("the member frame at " + thirdStart + " is cut off"), store.torn().toString());
            assertTrue(store.hasBlob(IMAGE, descriptor(contents.get(0))));
            assertTrue(store.hasBlob(IMAGE, descriptor(contents.get(1))));
            assertFalse(store.hasBlob(IMAGE, descriptor(contents.get(2))), "the cut frame is not a blob");
            for (byte[] content : contents) {
                store.writeBlob(IMAGE, descriptor(content), ArchiveStoreTest.countingReads(content, reads));
            }
        }
        assertTrue(reads.get() > 0 && reads.get() <= 2, "only the cut blob is read again: " + reads);
        assertEquals(3, list(archive).stream().filter(n -> n.startsWith("blobs/sha256:")).count(), list(archive).toString());
        Path extracted = TarTool.extract(archive, work.resolve("x"));
        for (byte[] content : contents) {
            assertArrayEquals(content, Files.readAllBytes(extracted.resolve("blobs").resolve(descriptor(content).digest().toString())));
        }
    }

    @Test
    void aCorruptFrameIsNamedByTheSumsFailsItsReadOrItsDigestAndKeepsTheFramesAfterIt() throws Exception {
        Path archive = work.resolve("bundle.tar.zst");
        byte[] stored = randomBytes(200_000); // as a gzip layer: stored in raw blocks
        byte[] compressed = text(400_000);
        byte[] headerless = randomBytes(100_000); // stored too: its tar header lies in the frame as it is
        byte[] intact = text(50_000);
        List<byte[]> contents = List.of(stored, compressed, headerless, intact);
        List<Long> starts = new ArrayList<>();
        try (ArchiveStore store = ArchiveStore.open(archive, ArchiveOptions.defaults())) {
            for (byte[] content : contents) {
                store.writeBlob(IMAGE, descriptor(content), new ByteArrayInputStream(content));
            }
        }
        try (SplitFile file = SplitFile.open(archive, 0); ArchiveBody body = ArchiveBody.open(file, java.time.Clock.systemUTC())) {
            body.scan().members().stream().limit(contents.size()).forEach(member -> starts.add(member.start()));
        }
        byte[] bytes = Files.readAllBytes(archive);
        bytes[(int) (starts.get(0) + 100_000)] ^= 0x40;
        bytes[(int) (starts.get(1) + (starts.get(2) - starts.get(1)) * 3 / 4)] ^= 0x40; // past the frame's first block
        // The skippable frame (20 bytes), the frame's header (6) and its first block's (3), then the member's name.
        bytes[(int) (starts.get(2) + ZstdFrameBody.PREFIX + 6 + 3 + 10)] ^= 0x40;
        Files.write(archive, bytes);
        try (ArchiveStore store = ArchiveStore.open(archive, ArchiveOptions.defaults())) {
            IOException refused = assertThrows(IOException.class,
                    () -> store.willRead(List.of(IMAGE), TaskLog.NONE, Cancellation.NEVER));
            assertTrue(refused.getMessage().startsWith("part bundle.tar.zst of bundle archive " + archive + " is corrupt"),
                    refused.getMessage());
            IOException read = assertThrows(IOException.class, () -> {
                try (InputStream in = store.openBlob(IMAGE, descriptor(compressed))) {
                    in.transferTo(java.io.OutputStream.nullOutputStream());
                }
            });
            assertTrue(read.getMessage().startsWith("blob member blobs/" + descriptor(compressed).digest() + " of bundle archive "
                    + archive + " does not decompress ("), read.getMessage());
            assertTrue(read.getMessage().endsWith("the bundle is corrupt; copy it again from where it was made"), read.getMessage());
            try (InputStream in = store.openBlob(IMAGE, descriptor(stored))) {
                assertFalse(Arrays.equals(stored, in.readAllBytes()), "a stored frame has no checksum of its own: the digest is its check");
            }
            assertFalse(store.hasBlob(IMAGE, descriptor(headerless)), "a frame whose tar header is corrupt is no member");
            assertTrue(store.torn().isEmpty(), "nor a torn tail: " + store.torn());
            try (InputStream in = store.openBlob(IMAGE, descriptor(intact))) {
                assertArrayEquals(intact, in.readAllBytes(), "the frame after it is read");
            }
        }
        try (ArchiveStore store = ArchiveStore.open(archive, ArchiveOptions.defaults().withStore(
                dev.stevedore.image.store.StoreOptions.defaults().withVerifyExistingBlobs()))) {
            assertFalse(store.hasBlob(IMAGE, descriptor(stored)), "re-hashed, the stored blob is not the one its name says");
            assertFalse(store.hasBlob(IMAGE, descriptor(compressed)), "nor is the compressed one, which does not decode");
            for (byte[] content : contents) {
                store.writeBlob(IMAGE, descriptor(content), new ByteArrayInputStream(content));
            }
        }
        try (ArchiveStore store = ArchiveStore.open(archive, ArchiveOptions.defaults())) {
            store.willRead(List.of(IMAGE), TaskLog.NONE, Cancellation.NEVER);
            for (byte[] content : contents) {
                try (InputStream in = store.openBlob(IMAGE, descriptor(content))) {
                    assertArrayEquals(content, in.readAllBytes(), "a re-run writes the three again, and keeps the intact one");
                }
            }
        }
    }

    @Test
    void aFileThatIsNotAZstdBundleIsRefusedNamingWhatItIsAndLeftAsItWas() throws Exception {
        Path plain = work.resolve("bundle.tar");
        try (ArchiveStore store = ArchiveStore.open(plain, ArchiveOptions.defaults())) {
            byte[] content = randomBytes(3000);
            store.writeBlob(IMAGE, descriptor(content), new ByteArrayInputStream(content));
        }
        Path oneStream = work.resolve("stream.tar.zst");
        run(Programs.require("zstd"), "-q", plain.toString(), "-o", oneStream.toString());
        Path plainNamedZst = Files.copy(plain, work.resolve("plain.tar.zst"));
        Path ours = work.resolve("ours.tar.zst");
        try (ArchiveStore store = ArchiveStore.open(ours, ArchiveOptions.defaults())) {
            byte[] content = randomBytes(3000);
            store.writeBlob(IMAGE, descriptor(content), new ByteArrayInputStream(content));
        }
        Path oursNamedTar = Files.copy(ours, work.resolve("ours.tar"));
        for (Object[] refusal : new Object[][] {
                {oneStream, "is one zstd stream (as tar --zstd or zstd write it), not a bundle Stevedore wrote"},
                {plainNamedZst, "is not a zstd bundle written by Stevedore; name a new file for the bundle, or the FILE.tar.zst"},
                {oursNamedTar, "is a zstd bundle (each member a zstd frame), not a plain tar; name it FILE.tar.zst"}}) {
            Path given = (Path) refusal[0];
            byte[] before = Files.readAllBytes(given);
            IOException refused = assertThrows(IOException.class, () -> ArchiveStore.open(given, ArchiveOptions.defaults()));
            assertEquals(given + " " + refusal[1], refused.getMessage().substring(0, given.toString().length() + 1
                    + ((String) refusal[1]).length()), refused.getMessage());
            assertArrayEquals(before, Files.readAllBytes(given), "left as it was");
        }
    }

    private List<Path> staged() throws IOException {
        try (Stream<Path> beside = Files.list(work)) {
            return beside.filter(p -> p.getFileName().toString().startsWith(".tmp-")).toList();
        }
    }

    private static List<String> list(Path archive) throws Exception {
        return List.of(run("tar", "--use-compress-program=" + Programs.require("zstd"), "-t", "-f", archive.toString()).split("\n"));
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " finished");
        assertEquals(0, process.exitValue(), String.join(" ", command) + ": " + output);
        return output;
    }
}
