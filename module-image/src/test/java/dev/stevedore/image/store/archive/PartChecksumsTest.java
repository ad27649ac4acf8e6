package dev.stevedore.image.store.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.engine.run.CancellationSignal;
import dev.stevedore.image.error.ImageException;
import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.target.ArchiveFileNames;
import dev.stevedore.image.testing.RecordingLog;
import dev.stevedore.spi.Cancellation;
import dev.stevedore.spi.TaskLog;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code NAME.sha256} beside a bundle archive: written at close for every part, deleted when a write begins,
 * checked by {@link ArchiveStore#willRead} before a copy reads; and the closing step and members the bundle
 * package's integrity manifest is built from.
 */
class PartChecksumsTest {

    private static final ImageReference IMAGE = ImageReference.parse("registry.example.com/team/app:1");

    @TempDir
    Path work;

    private final Random random = new Random(23);

    @Test
    void theSumsListEveryPartAsSha256sumWritesThemAndAreGoneWhileAWriteIsUnderWay() throws Exception {
        Path archive = work.resolve("bundle.tar");
        byte[] first = bytes(9000);
        try (ArchiveStore store = ArchiveStore.open(archive, ArchiveOptions.defaults().withMaxPartSize(4096))) {
            store.writeBlob(IMAGE, descriptor(first), new ByteArrayInputStream(first));
        }
        List<Path> parts = ArchiveStoreTest.parts(archive);
        List<String> lines = Files.readAllLines(work.resolve("bundle.tar.sha256"));
        assertEquals(parts.size(), lines.size(), lines.toString());
        for (int i = 0; i < parts.size(); i++) {
            String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(parts.get(i))));
            assertEquals(hex + "  " + parts.get(i).getFileName(), lines.get(i));
        }
        assertEquals(List.of(), PartChecksums.check(parts.get(0)).problems());

        byte[] second = bytes(3000);
        try (ArchiveStore store = ArchiveStore.open(archive, ArchiveOptions.defaults().withMaxPartSize(4096))) {
            store.writeBlob(IMAGE, descriptor(second), new ByteArrayInputStream(second));
            assertFalse(Files.exists(work.resolve("bundle.tar.sha256")), "the sums no longer fit once a write began");
        }
        PartChecksums.Result result = PartChecksums.check(archive);
        assertTrue(result.present());
        assertEquals(ArchiveStoreTest.parts(archive).size(), result.checked());
        assertEquals(List.of(), result.problems());
    }

    @Test
    void aCorruptPartStopsTheFirstReadNamingThePartAndWhatToDo() throws Exception {
        Path archive = writeInParts(bytes(12_000));
        flipAByteOf(ArchiveFileNames.part(archive, 2));
        try (ArchiveStore store = ArchiveStore.open(archive, ArchiveOptions.defaults())) {
            ImageException refused = assertThrows(ImageException.class,
                    () -> store.willRead(List.of(IMAGE), TaskLog.NONE, Cancellation.NEVER));
            assertTrue(refused.getMessage().startsWith("part bundle.tar.part-0002 of bundle archive "), refused.getMessage());
            assertTrue(refused.getMessage().contains("is corrupt (sha256 is "), refused.getMessage());
            assertTrue(refused.getMessage().contains("copy the part again from the original bundle"), refused.getMessage());
        }
    }

    @Test
    void theCheckBeforeTheFirstReadIsABatchOfItsOwnThatCountsEveryByteOfTheParts() throws Exception {
        Path archive = writeInParts(bytes(12_000));
        List<Path> parts = ArchiveStoreTest.parts(archive);
        long partBytes = 0;
        for (Path part : parts) {
            partBytes += Files.size(part);
        }
        String item = "the " + parts.size() + " parts of bundle.tar against bundle.tar.sha256";

        RecordingLog log = new RecordingLog();
        try (ArchiveStore store = ArchiveStore.open(archive, ArchiveOptions.defaults())) {
            store.willRead(List.of(IMAGE), log, Cancellation.NEVER);
            store.willRead(List.of(IMAGE), log, Cancellation.NEVER);
        }
        assertEquals(List.of(new RecordingLog.Batch("check bundle.tar", 1, partBytes, 1, "hashed", true)), log.batches(),
                "one batch, once, closed before the copy opens its own");
        assertEquals(List.of(new RecordingLog.Finished(item, "intact", partBytes, 0)), log.finished());

        flipAByteOf(ArchiveFileNames.part(archive, 2));
        RecordingLog corrupt = new RecordingLog();
        try (ArchiveStore store = ArchiveStore.open(archive, ArchiveOptions.defaults())) {
            assertThrows(ImageException.class, () -> store.willRead(List.of(IMAGE), corrupt, Cancellation.NEVER));
        }
        assertEquals(List.of(new RecordingLog.Finished(item, "1 missing or corrupt", partBytes, 0)), corrupt.finished());
        assertTrue(corrupt.batches().get(0).closed(), "a refusal closes the batch too");

        Files.delete(work.resolve("bundle.tar.sha256"));
        RecordingLog withoutSums = new RecordingLog();
        try (ArchiveStore store = ArchiveStore.open(archive, ArchiveOptions.defaults())) {
            store.willRead(List.of(IMAGE), withoutSums, Cancellation.NEVER);
        }
        assertEquals(List.of(), withoutSums.batches(), "nothing to hash, no batch");
    }

    @Test
    void aCancelledCheckStopsBeforeItsFirstHashAndSaysItWasInterrupted() throws Exception {
        Path archive = writeInParts(bytes(12_000));
        String item = "the " + ArchiveStoreTest.parts(archive).size() + " parts of bundle.tar against bundle.tar.sha256";
        CancellationSignal ctrlC = new CancellationSignal();
        ctrlC.cancel();
        RecordingLog log = new RecordingLog();
        try (ArchiveStore store = ArchiveStore.open(archive, ArchiveOptions.defaults())) {
            InterruptedIOException stopped = assertThrows(InterruptedIOException.class,
                    () -> store.willRead(List.of(IMAGE), log, ctrlC));
            assertEquals("the check of bundle.tar.part-0001 was cancelled", stopped.getMessage());
        }
        assertEquals(List.of(new RecordingLog.Finished(item, "interrupted", 0, 0)), log.finished());
        assertTrue(log.batches().get(0).closed(), "the progress shown is removed");
    }

    @Test
    void aPartTheSumsDoNotListIsExtraAndALineThatIsNotASumIsRefused() throws Exception {
        Path archive = work.resolve("bundle.tar");
        byte[] blob = bytes(5000);
        try (ArchiveStore store = ArchiveStore.open(archive, ArchiveOptions.defaults().withMaxPartSize(4096))) {
            store.writeBlob(IMAGE, descriptor(blob), new ByteArrayInputStream(blob));
        }
        int count = ArchiveStoreTest.parts(archive).size();
        Files.write(ArchiveFileNames.part(archive, count + 1), new byte[10]);
        List<PartChecksums.Problem> problems = PartChecksums.check(archive).problems();
        assertEquals(List.of(new PartChecksums.Problem(ArchiveFileNames.part(archive, count + 1).getFileName().toString(),
                "extra (not in bundle.tar.sha256)")), problems);

        Files.writeString(work.resolve("bundle.tar.sha256"), "not a sum\n", StandardCharsets.UTF_8);
        assertTrue(assertThrows(java.io.IOException.class, () -> PartChecksums.check(archive)).getMessage()
                .contains("has a line that is not '<sha256>  <file name>'"));
    }

    @Test
    void theClosingStepRunsBeforeTheMetadataIsAppendedAndSeesEveryMember() throws Exception {
        Path archive = work.resolve("bundle.tar");
        byte[] blob = bytes(700);
        AtomicInteger runs = new AtomicInteger();
        ArchiveStore.ClosingStep step = store -> {
            runs.incrementAndGet();
            assertEquals(List.of("blobs/" + Digest.sha256Of(blob)), store.members());
            try (InputStream in = store.openMember("blobs/" + Digest.sha256Of(blob))) {
                assertEquals(blob.length, in.readAllBytes().length);
            }
            store.rootFiles().orElseThrow().write("root.json", "{}\n".getBytes(StandardCharsets.UTF_8));
        };
        try (ArchiveStore store = ArchiveStore.open(archive, ArchiveOptions.defaults(), step)) {
            store.writeBlob(IMAGE, descriptor(blob), new ByteArrayInputStream(blob));
        }
        assertEquals(1, runs.get());
        assertTrue(TarTool.list(archive).contains("root.json"), TarTool.list(archive).toString());
        try (ArchiveStore store = ArchiveStore.open(archive, ArchiveOptions.defaults(), step)) {
            assertEquals(3, store.memberSize("root.json"));
            store.list();
        }
        assertEquals(1, runs.get(), "an archive only read runs no closing step");
    }

    /** An archive of {@code blob} in parts of 4 KiB, with its sums. */
    private Path writeInParts(byte[] blob) throws IOException {
        Path archive = work.resolve("bundle.tar");
        try (ArchiveStore store = ArchiveStore.open(archive, ArchiveOptions.defaults().withMaxPartSize(4096))) {
            store.writeBlob(IMAGE, descriptor(blob), new ByteArrayInputStream(blob));
        }
        return archive;
    }

    private static void flipAByteOf(Path part) throws IOException {
        byte[] bytes = Files.readAllBytes(part);
        bytes[100] ^= 0x40;
        Files.write(part, bytes);
    }

    private byte[] bytes(int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    private static Descriptor descriptor(byte[] content) {
        return new Descriptor("application/octet-stream", Digest.sha256Of(content), content.length);
    }
}
