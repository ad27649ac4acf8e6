package dev.stevedore.image.store.archive;

import static dev.stevedore.image.store.archive.ArchiveStoreTest.descriptor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.image.error.ImageException;
import dev.stevedore.image.reference.ImageReference;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two runs writing one bundle archive: the second neither interleaves with the first nor overwrites what it
 * wrote. Each run is a store of its own; in one JVM the first one's lock is met as an overlapping lock, in two
 * processes as a lock held elsewhere, and both refuse the same way.
 */
class ArchiveWritersTest {

    private static final ImageReference IMAGE = ImageReference.parse("registry.example.com/team/app:1");

    @TempDir
    Path work;

    private final Random random = new Random(23);

    private byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    @ParameterizedTest
    @CsvSource({"bundle.tar, 0", "bundle.tar, 65536", "bundle.tar.zst, 0"})
    void aSecondRunNeitherWritesBesideTheFirstNorOverTheBundleTheFirstWroteSinceItWasRead(String name, long maxPartSize)
            throws Exception {
        Path archive = work.resolve(name);
        ArchiveOptions options = maxPartSize > 0 ? ArchiveOptions.defaults().withMaxPartSize(maxPartSize) : ArchiveOptions.defaults();
        byte[] first = randomBytes(100_000);
        byte[] second = randomBytes(3_000);

        ArchiveStore earlier = ArchiveStore.open(archive, options);
        earlier.willWrite(IMAGE);
        earlier.writeBlob(IMAGE, descriptor(first), new ByteArrayInputStream(first));
        // The later run opens the bundle, as a pull planning its images does, while the earlier one writes it.
        try (ArchiveStore later = ArchiveStore.open(archive, options)) {
            later.willWrite(IMAGE);
            for (int attempt = 1; attempt <= 2; attempt++) {
                // Twice: before, a refused lock left the store writable, and the second write went in without it.
                ImageException busy = assertThrows(ImageException.class,
                        () -> later.writeBlob(IMAGE, descriptor(second), new ByteArrayInputStream(second)));
                assertTrue(busy.getMessage().startsWith("another run is writing the bundle "), busy.getMessage());
            }
            earlier.close();

            // The earlier run is done and its lock free, but what the later one read of the bundle is out of date:
            // writing from the end it knew would overwrite the earlier run's members.
            ImageException stale = assertThrows(ImageException.class,
                    () -> later.writeBlob(IMAGE, descriptor(second), new ByteArrayInputStream(second)));
            assertEquals("another run wrote the bundle " + later.describe().substring("bundle archive ".length())
                    + " since this one read it; run the task again, once that run has finished", stale.getMessage());
        }

        try (ArchiveStore after = ArchiveStore.open(archive, options)) {
            assertTrue(after.hasBlob(IMAGE, descriptor(first)), "the earlier run's blob stands");
            assertFalse(after.hasBlob(IMAGE, descriptor(second)));
            assertEquals(List.of(), PartChecksums.check(archive).problems(), "the sums are the earlier run's, and right");
            // A run started now reads the bundle as it is, and writes.
            after.writeBlob(IMAGE, descriptor(second), new ByteArrayInputStream(second));
        }
        try (ArchiveStore reread = ArchiveStore.open(archive, options)) {
            assertTrue(reread.hasBlob(IMAGE, descriptor(first)));
            assertTrue(reread.hasBlob(IMAGE, descriptor(second)));
        }
        assertEquals(List.of(), PartChecksums.check(archive).problems());
    }
}
