package dev.stevedore.image.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.engine.run.CancellationSignal;
import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.store.archive.ArchiveOptions;
import dev.stevedore.image.store.archive.ArchiveStore;
import dev.stevedore.image.testing.RecordingLog;
import dev.stevedore.spi.Cancellation;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a verify operand may name: the schemes it takes, and where each one looks; and the progress a verify reports. */
class BundleVerificationTest {

    private static final ImageReference IMAGE = ImageReference.parse("registry.example.com/team/app:1");
    private static final int[] BLOB_SIZES = {3_000, 20_000, 9_000};

    @TempDir
    Path work;

    private final Random random = new Random(5);

    @Test
    void anotherSchemeOrNoPathIsRefusedWhateverIsOnDisk() {
        assertEquals(Optional.of("verify is 'oci://example.com/app:1': give local://DIR (a KubeKey images directory),"
                + " archive://FILE.tar (a bundle archive) or a path"), BundleVerification.refusal("oci://example.com/app:1"));
        assertEquals(Optional.of("verify 'archive:// ' names no bundle"), BundleVerification.refusal("archive:// "));
        assertEquals(Optional.of("verify 'local://' names no bundle"), BundleVerification.refusal("local://"));
        assertEquals(Optional.empty(), BundleVerification.refusal(" local:///srv/bundle "));
        assertEquals(Optional.empty(), BundleVerification.refusal("archive:///srv/bundle.tar"));
        assertEquals(Optional.empty(), BundleVerification.refusal("bundle.tar"));
    }

    @Test
    void localNamesADirectoryOnlyAndAPlainPathEitherForm() throws Exception {
        Path directory = Files.createDirectory(work.resolve("images"));
        Path archive = Files.write(work.resolve("bundle.tar"), new byte[1024]);

        assertEquals(Optional.of(new BundleVerification.Bundle(directory, false)), BundleVerification.locate("local://" + directory));
        assertEquals(Optional.empty(), BundleVerification.locate("local://" + archive), "local:// is a directory");
        assertEquals(Optional.of(new BundleVerification.Bundle(archive, true)), BundleVerification.locate("archive://" + archive));
        assertEquals(Optional.of(new BundleVerification.Bundle(directory, false)), BundleVerification.locate(directory.toString()));
        assertEquals(Optional.of(new BundleVerification.Bundle(archive, true)), BundleVerification.locate(archive.toString()));
        assertTrue(BundleVerification.locate(work.resolve("missing.tar").toString()).isEmpty());
    }

    @Test
    void anArchivesVerifyIsOneBatchOfTwoItemsHashedAtOnceItsFilesAndItsBlobs() throws Exception {
        Path archive = work.resolve("bundle.tar");
        long blobBytes = 0;
        try (ArchiveStore store = ArchiveStore.open(archive, ArchiveOptions.defaults().withMaxPartSize(8192))) {
            for (int size : BLOB_SIZES) {
                byte[] content = bytes(size);
                store.writeBlob(IMAGE, new Descriptor("application/octet-stream", Digest.sha256Of(content), size),
                        new ByteArrayInputStream(content));
                blobBytes += size;
            }
        }
        List<Path> parts;
        try (Stream<Path> files = Files.list(work)) {
            parts = files.filter(p -> p.getFileName().toString().startsWith("bundle.tar.part-")).sorted().toList();
        }
        long partBytes = 0;
        for (Path part : parts) {
            partBytes += Files.size(part);
        }
        assertTrue(parts.size() > 1, parts.toString());

        RecordingLog log = new RecordingLog();
        VerificationReport report = BundleVerification.verify(new BundleVerification.Bundle(parts.get(0), true), 2, log, Cancellation.NEVER);

        assertTrue(report.intact(), report.problems().toString());
        assertEquals(List.of(new RecordingLog.Batch("verify", 2, partBytes + blobBytes, 2, "hashed", true)), log.batches());
        assertEquals(Set.of(new RecordingLog.Finished("the " + parts.size() + " parts of bundle.tar against bundle.tar.sha256", "intact",
                        partBytes, 0),
                        new RecordingLog.Finished("the 3 blobs of " + report.bundle(), "intact", blobBytes, 0)),
                new HashSet<>(log.finished()));
    }

    @Test
    void aDirectorysVerifyHasOneItemItsBlobsAndSaysHowManyAreSpoilt() throws Exception {
        Path blobs = Files.createDirectories(work.resolve("images/blobs"));
        long blobBytes = 0;
        for (int size : BLOB_SIZES) {
            byte[] content = bytes(size);
            Files.write(blobs.resolve(Digest.sha256Of(content).toString()), content);
            blobBytes += size;
        }
        BundleVerification.Bundle bundle = new BundleVerification.Bundle(work.resolve("images"), false);
        RecordingLog log = new RecordingLog();
        VerificationReport intact = BundleVerification.verify(bundle, 2, log, Cancellation.NEVER);
        assertEquals(List.of(new RecordingLog.Batch("verify", 1, blobBytes, 1, "hashed", true)), log.batches());
        assertEquals(List.of(new RecordingLog.Finished("the 3 blobs of " + intact.bundle(), "intact", blobBytes, 0)), log.finished());

        try (Stream<Path> files = Files.list(blobs)) {
            Path first = files.sorted().findFirst().orElseThrow();
            byte[] content = Files.readAllBytes(first);
            content[0] ^= 1;
            Files.write(first, content);
        }
        RecordingLog spoilt = new RecordingLog();
        assertFalse(BundleVerification.verify(bundle, 2, spoilt, Cancellation.NEVER).intact());
        assertEquals("1 corrupt or unreadable", spoilt.finished().get(0).outcome());
    }

    @Test
    void aCancelledVerifyStopsAtOnceAndOneThatEndedIsNotInterruptedByALaterCancel() throws Exception {
        Path blobs = Files.createDirectories(work.resolve("images/blobs"));
        for (int size : BLOB_SIZES) {
            byte[] content = bytes(size);
            Files.write(blobs.resolve(Digest.sha256Of(content).toString()), content);
        }
        BundleVerification.Bundle bundle = new BundleVerification.Bundle(work.resolve("images"), false);

        CancellationSignal ctrlC = new CancellationSignal();
        ctrlC.cancel();
        RecordingLog log = new RecordingLog();
        assertThrows(InterruptedException.class, () -> BundleVerification.verify(bundle, 2, log, ctrlC));
        Thread.interrupted(); // whatever of the interrupt the JDK left standing, so that it does not reach the next verify
        assertTrue(log.batches().get(0).closed(), "the progress shown is removed");

        CancellationSignal later = new CancellationSignal();
        assertTrue(BundleVerification.verify(bundle, 2, new RecordingLog(), later).intact());
        later.cancel();
        assertFalse(Thread.interrupted(), "a thread that went on to other work is left alone");
    }

    private byte[] bytes(int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }
}
