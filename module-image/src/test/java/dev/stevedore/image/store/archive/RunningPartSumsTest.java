package dev.stevedore.image.store.archive;

import static dev.stevedore.image.store.archive.ArchiveStoreTest.descriptor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.ImageReference;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The parts' SHA-256, taken while the archive is written: whatever order regions become final in, and whether
 * or not some never do, the sums are those of the bytes on disk, part by part.
 */
class RunningPartSumsTest {

    private static final ImageReference IMAGE = ImageReference.parse("registry.example.com/team/app:1");

    @TempDir
    Path work;

    private final Random random = new Random(41);

    @Test
    void regionsFinalInAnyOrderGiveTheSumsOfTheFilesOnDisk() throws Exception {
        // Over the hashing thread's batch (4 MiB), so it hashes while regions are still being written.
        for (long partSize : new long[] {Long.MAX_VALUE, 1 << 20, 777_777}) {
            Path archive = work.resolve("order-" + partSize + ".tar");
            try (SplitFile file = SplitFile.open(archive, partSize == Long.MAX_VALUE ? 0 : partSize)) {
                file.beginWriting();
                RunningPartSums sums = new RunningPartSums(file, 0, List.of());
                List<long[]> regions = new ArrayList<>();
                long at = 0;
                for (int i = 0; i < 40; i++) {
                    long length = 1 + random.nextInt(400_000);
                    regions.add(new long[] {at, at + length});
                    at += length;
                }
                Collections.shuffle(regions, random);
                for (long[] region : regions) {
                    file.write(ByteBuffer.wrap(bytes((int) (region[1] - region[0]))), region[0]);
                    if (random.nextInt(5) > 0) { // one region in five is never final: hashed at the end
                        sums.finalRegion(region[0], region[1]);
                    }
                }
                assertEquals(hashesOf(file.files()), sums.finish(at), "part size " + partSize);
            }
        }
    }

    @Test
    void theBytesAreHashedAsRegionsBecomeFinalNotAtTheEnd() throws Exception {
        Path archive = work.resolve("early.tar");
        try (SplitFile file = SplitFile.open(archive, 0)) {
            file.beginWriting();
            RunningPartSums sums = new RunningPartSums(file, 0, List.of());
            int length = 6 * 1024 * 1024;
            file.write(ByteBuffer.wrap(bytes(length)), 0);
            file.write(ByteBuffer.wrap(bytes(1000)), length + 1000); // a region after a gap, final first
            sums.finalRegion(length + 1000, length + 2000);
            Thread.sleep(200);
            assertEquals(0, sums.hashedSoFar(), "nothing is final from the start yet");
            sums.finalRegion(0, length);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (sums.hashedSoFar() < length && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(sums.hashedSoFar() >= length, "hashed " + sums.hashedSoFar() + " of " + length + " final bytes");
            assertTrue(sums.hashedSoFar() <= length, "the gap is not final, so nothing after it is hashed early");
            file.write(ByteBuffer.wrap(bytes(1000)), length);
            assertEquals(hashesOf(file.files()), sums.finish(length + 2000));
        }
    }

    @Test
    void whenTheHashingThreadEndsEarlyTheCloseHashesTheRest() throws Exception {
        Path archive = work.resolve("failed.tar");
        try (SplitFile file = SplitFile.open(archive, 1 << 20)) {
            file.beginWriting();
            RunningPartSums sums = new RunningPartSums(file, 0, List.of());
            int length = 6 * 1024 * 1024;
            file.write(ByteBuffer.wrap(bytes(length)), 0);
            sums.finalRegion(0, length);
            Thread hashing = Thread.getAllStackTraces().keySet().stream()
                    .filter(thread -> thread.getName().equals("archive-sums")).findFirst().orElseThrow();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while ((sums.hashedSoFar() < length || hashing.getState() != Thread.State.WAITING) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(length, sums.hashedSoFar());
            hashing.interrupt(); // it waits for more: the interrupt ends it, with 6 of 7 parts hashed
            hashing.join(10_000);
            file.write(ByteBuffer.wrap(bytes(5000)), length);
            assertEquals(hashesOf(file.files()), sums.finish(length + 5000), "the close went on from where the thread stopped");
        }
    }

    /**
     * A read of the disk that fails under the hashing thread (here a part cut short behind the writer's back,
     * so the read finds its end) ends the thread between two chunks: the close reads there again and fails
     * naming the archive, and once the bytes are back it goes on from there, with nothing hashed twice.
     */
    @Test
    void aReadThatFailsUnderTheHashingThreadFailsTheCloseAndOnceTheBytesAreBackTheCloseGoesOnFromThere() throws Exception {
        Path archive = work.resolve("unreadable.tar");
        int partSize = 1 << 20;
        try (SplitFile file = SplitFile.open(archive, partSize)) {
            file.beginWriting();
            RunningPartSums sums = new RunningPartSums(file, 0, List.of());
            int length = 6 * partSize;
            byte[] content = bytes(length);
            file.write(ByteBuffer.wrap(content), 0);
            Path third = file.files().get(2);
            try (FileChannel cut = FileChannel.open(third, StandardOpenOption.WRITE)) {
                cut.truncate(0);
            }
            Thread hashing = Thread.getAllStackTraces().keySet().stream() // this one's: the newest
                    .filter(thread -> thread.getName().equals("archive-sums")).max(Comparator.comparingLong(Thread::getId)).orElseThrow();
            sums.finalRegion(0, length);
            hashing.join(10_000);
            assertFalse(hashing.isAlive(), "the failed read ended the hashing thread");
            assertEquals(2L * partSize, sums.hashedSoFar(), "it stopped where the read failed, after two whole parts");

            IOException failed = assertThrows(IOException.class, () -> sums.finish(length));
            assertTrue(failed.getMessage().contains(file.describe()) && failed.getMessage().contains("ends at " + 2L * partSize),
                    failed.getMessage());

            file.write(ByteBuffer.wrap(content, 2 * partSize, partSize), 2L * partSize);
            assertEquals(hashesOf(file.files()), sums.finish(length), "the close went on from the failed read");
        }
    }

    @Test
    void concurrentWritesAndABlobCutInOneRunAndWrittenInTheNextLeaveSumsThatCheck() throws Exception {
        Path archive = work.resolve("bundle.tar");
        ArchiveOptions options = ArchiveOptions.defaults().withMaxPartSize(1 << 20);
        List<byte[]> blobs = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            blobs.add(bytes(1000 + random.nextInt(400_000)));
        }
        byte[] cut = bytes(300_000);
        byte[] after = bytes(5 << 20);
        try (ArchiveStore store = ArchiveStore.open(archive, options)) {
            ArchiveStoreTest.writeConcurrently(store, blobs, 6, ByteArrayInputStream::new);
            // Cut after 10,000 bytes: its region stays under the temporary name, never final in this run.
            assertThrows(IOException.class, () -> store.writeBlob(IMAGE, descriptor(cut), cutAfter(cut, 10_000)));
            store.writeBlob(IMAGE, descriptor(after), new ByteArrayInputStream(after));
        }
        assertEquals(List.of(), PartChecksums.check(archive).problems());
        assertEquals(ArchiveStoreTest.parts(archive).size(), PartChecksums.check(archive).checked());

        try (ArchiveStore store = ArchiveStore.open(archive, options)) {
            // The next run writes the cut blob into its region, between members it keeps: the hashing thread,
            // started by the first write, must not have read that region before it was written again.
            ArchiveStoreTest.writeConcurrently(store, List.of(bytes(100)), 6, ByteArrayInputStream::new);
            Thread.sleep(300);
            store.writeBlob(IMAGE, descriptor(cut), new ByteArrayInputStream(cut));
        }
        PartChecksums.Result result = PartChecksums.check(archive);
        assertEquals(List.of(), result.problems());
        assertEquals(ArchiveStoreTest.parts(archive).size(), result.checked());
    }

    private static List<String> hashesOf(List<Path> files) throws IOException {
        List<String> hashes = new ArrayList<>();
        for (Path file : files) {
            hashes.add(Digest.sha256Of(Files.readAllBytes(file)).hex());
        }
        return hashes;
    }

    private static InputStream cutAfter(byte[] content, int length) {
        return new InputStream() {
            private int at;

            @Override
            public int read() throws IOException {
                if (at >= length) {
                    throw new IOException("connection reset");
                }
                return content[at++] & 0xff;
            }
        };
    }

    private byte[] bytes(int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }
}
