package dev.stevedore.image.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.target.BlobSource;
import dev.stevedore.image.target.ImageTarget;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A blob download cut before it completed continues from its kept part ({@code .tmp-resume-<final name>})
 * in the next write, in both directory stores; the cross-process case with a real SIGKILL is
 * {@code reliability/CrashSafetyTest}.
 */
class ResumableDownloadTest {

    private static final ImageReference IMAGE = ImageReference.parse("registry.example.com/a/b:1");

    @TempDir
    Path dir;

    private final TestImages images = new TestImages(11);

    enum Layout {
        KUBEKEY((dir, options) -> KubeKeyLayoutStore.open(dir, options), "blobs"),
        OCI((dir, options) -> OciLayoutStore.open(dir, options), "blobs/sha256");

        final BiFunction<Path, StoreOptions, ImageTarget> open;
        final String blobFolder;

        Layout(BiFunction<Path, StoreOptions, ImageTarget> open, String blobFolder) {
            this.open = open;
            this.blobFolder = blobFolder;
        }

        Path blob(Path root, Descriptor blob) {
            return root.resolve(blobFolder).resolve(this == KUBEKEY ? blob.digest().toString() : blob.digest().hex());
        }

        Path partial(Path root, Descriptor blob) {
            return PartialBlobFile.pathFor(blob(root, blob));
        }
    }

    /** A source over bytes that records every offset it was opened at, and can fail after some bytes. */
    private static final class RecordingSource implements BlobSource {
        final List<Long> offsets = new CopyOnWriteArrayList<>();
        private final byte[] content;
        private long failAfter = Long.MAX_VALUE;

        RecordingSource(byte[] content) {
            this.content = content;
        }

        RecordingSource failingAfter(long bytes) {
            failAfter = bytes;
            return this;
        }

        @Override
        public InputStream open() {
            return openFrom(0);
        }

        @Override
        public InputStream openFrom(long offset) {
            offsets.add(offset);
            long limit = failAfter;
            return new FilterInputStream(new ByteArrayInputStream(content, (int) offset, content.length - (int) offset)) {
                long position = offset;

                @Override
                public int read(byte[] buffer, int off, int length) throws IOException {
                    if (position >= limit) {
                        throw new IOException("connection reset (scripted)");
                    }
                    int n = super.read(buffer, off, (int) Math.min(length, limit - position));
                    position += Math.max(n, 0);
                    return n;
                }
            };
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void aDownloadCutByAFailingSourceKeepsItsPartAndTheNextWriteFetchesOnlyTheRest(Layout layout) throws IOException {
        byte[] content = images.randomBytes(400_000);
        Descriptor blob = TestImages.blobDescriptor(content);
        ImageTarget store = layout.open.apply(dir, StoreOptions.defaults());

        RecordingSource cut = new RecordingSource(content).failingAfter(150_000);
        IOException failure = assertThrows(IOException.class, () -> store.writeBlob(IMAGE, blob, cut));
        assertTrue(failure.getMessage().contains("connection reset"), failure.getMessage());
        assertFalse(Files.exists(layout.blob(dir, blob)), "nothing under the final name");
        assertEquals(150_000, Files.size(layout.partial(dir, blob)), "what arrived is kept for the next attempt");

        RecordingSource rest = new RecordingSource(content);
        layout.open.apply(dir, StoreOptions.defaults()).writeBlob(IMAGE, blob, rest);

        assertEquals(List.of(150_000L), rest.offsets, "only the rest is asked for");
        assertArrayEquals(content, Files.readAllBytes(layout.blob(dir, blob)));
        assertFalse(Files.exists(layout.partial(dir, blob)));
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void aKeptPartThatIsWrongIsRehashedFoundOutAndTheBlobFetchedAgainFromItsStart(Layout layout) throws IOException {
        byte[] content = images.randomBytes(300_000);
        Descriptor blob = TestImages.blobDescriptor(content);
        ImageTarget store = layout.open.apply(dir, StoreOptions.defaults());
        keptPart(layout.partial(dir, blob), content, 200_000);
        byte[] damaged = Files.readAllBytes(layout.partial(dir, blob));
        damaged[12_345] ^= (byte) 0xff; // a disk fault in what the killed run left
        Files.write(layout.partial(dir, blob), damaged);

        RecordingSource source = new RecordingSource(content);
        store.writeBlob(IMAGE, blob, source);

        assertEquals(List.of(200_000L, 0L), source.offsets, "continued, found wrong by the digest, fetched again from 0");
        assertArrayEquals(content, Files.readAllBytes(layout.blob(dir, blob)));
        assertFalse(Files.exists(layout.partial(dir, blob)));
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void aCompleteKeptPartIsVerifiedAndTakesItsNameWithoutAnyFetch(Layout layout) throws IOException {
        byte[] content = images.randomBytes(100_000);
        Descriptor blob = TestImages.blobDescriptor(content);
        keptPart(layout.partial(dir, blob), content, content.length);

        RecordingSource source = new RecordingSource(content);
        layout.open.apply(dir, StoreOptions.defaults()).writeBlob(IMAGE, blob, source);

        assertEquals(List.of(), source.offsets);
        assertArrayEquals(content, Files.readAllBytes(layout.blob(dir, blob)));
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void aKeptPartLongerThanTheBlobIsDropped(Layout layout) throws IOException {
        byte[] content = images.randomBytes(50_000);
        Descriptor blob = TestImages.blobDescriptor(content);
        Files.createDirectories(layout.partial(dir, blob).getParent());
        Files.write(layout.partial(dir, blob), images.randomBytes(60_000));

        RecordingSource source = new RecordingSource(content);
        layout.open.apply(dir, StoreOptions.defaults()).writeBlob(IMAGE, blob, source);

        assertEquals(List.of(0L), source.offsets);
        assertArrayEquals(content, Files.readAllBytes(layout.blob(dir, blob)));
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void aSourceWithTheWrongContentLeavesNothingBehind(Layout layout) throws IOException {
        byte[] content = images.randomBytes(50_000);
        Descriptor blob = TestImages.blobDescriptor(content);
        byte[] wrong = content.clone();
        wrong[100] ^= 1;

        assertThrows(DigestMismatchException.class,
                () -> layout.open.apply(dir, StoreOptions.defaults()).writeBlob(IMAGE, blob, new RecordingSource(wrong)));

        assertFalse(Files.exists(layout.blob(dir, blob)));
        assertFalse(Files.exists(layout.partial(dir, blob)), "a wrong download is of no use to a later run");
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void aKeptPartHeldByAnotherWriterIsLeftAloneAndTheBlobDownloadedApart(Layout layout) throws IOException {
        byte[] content = images.randomBytes(80_000);
        Descriptor blob = TestImages.blobDescriptor(content);
        Path partial = layout.partial(dir, blob);
        keptPart(partial, content, 30_000);
        try (FileChannel other = FileChannel.open(partial, StandardOpenOption.WRITE); FileLock held = other.lock()) {
            RecordingSource source = new RecordingSource(content);
            layout.open.apply(dir, StoreOptions.defaults()).writeBlob(IMAGE, blob, source);

            assertEquals(List.of(0L), source.offsets, "downloaded on its own, from the start");
            assertTrue(held.isValid());
            assertEquals(30_000, Files.size(partial), "the other writer's file is untouched");
        }
        assertArrayEquals(content, Files.readAllBytes(layout.blob(dir, blob)));
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void aKeptPartOutlivesTheStaleAgeAndIsCleanedOnlyOnceAbandoned(Layout layout) throws IOException {
        Instant now = Instant.parse("2025-01-10T12:00:00Z");
        byte[] content = images.randomBytes(20_000);
        Descriptor blob = TestImages.blobDescriptor(content);
        Path partial = layout.partial(dir, blob);
        keptPart(partial, content, 10_000);
        Files.setLastModifiedTime(partial, FileTime.from(now.minus(Duration.ofDays(2))));
        Descriptor other = TestImages.blobDescriptor(images.randomBytes(10));
        Path abandoned = layout.partial(dir, other);
        keptPart(abandoned, new byte[10], 5);
        Files.setLastModifiedTime(abandoned, FileTime.from(now.minus(Duration.ofDays(8))));
        Path stale = layout.blob(dir, blob).resolveSibling(AtomicFiles.TEMP_PREFIX + "0123");
        Files.write(stale, new byte[3]);
        Files.setLastModifiedTime(stale, FileTime.from(now.minus(Duration.ofHours(1))));

        byte[] unrelated = images.randomBytes(1000);
        ImageTarget store = layout == Layout.KUBEKEY
                ? KubeKeyLayoutStore.open(dir, StoreOptions.defaults(), Clock.fixed(now, ZoneOffset.UTC))
                : OciLayoutStore.open(dir, StoreOptions.defaults(), Clock.fixed(now, ZoneOffset.UTC));
        store.writeBlob(IMAGE, TestImages.blobDescriptor(unrelated), new RecordingSource(unrelated));

        assertFalse(Files.exists(stale), "an ordinary temporary file older than 30 minutes is a crash's left-over");
        assertTrue(Files.exists(partial), "a cut download two days old is still worth continuing");
        assertFalse(Files.exists(abandoned), "one untouched for more than a week is given up");
        try (Stream<Path> files = Files.list(partial.getParent())) {
            assertEquals(2, files.count(), "the kept part and the new blob: " + partial.getParent());
        }
    }

    private static void keptPart(Path partial, byte[] content, int length) throws IOException {
        Files.createDirectories(partial.getParent());
        Files.write(partial, java.util.Arrays.copyOf(content, length));
    }
}
