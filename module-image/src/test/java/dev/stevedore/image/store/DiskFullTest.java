package dev.stevedore.image.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.stevedore.image.error.ImageException;
import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.reference.ImageReference;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failures while writing: a full disk says so; a failing source keeps its own error. */
class DiskFullTest {

    @TempDir
    Path dir;

    private final TestImages images = new TestImages(5);
    private final ImageReference repository = ImageReference.parse("a.io/b/c");

    @Test
    void aFullDiskIsReportedWithTheDirectoryAndLeavesNoFile() throws Exception {
        Path small = dir.resolve("small");
        Files.createDirectories(small);
        // A real full disk: a 256 KiB tmpfs. Needs the right to mount (root with CAP_SYS_ADMIN); skipped elsewhere.
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", small.toString()) == 0, "cannot mount a tmpfs here");
        try {
            KubeKeyLayoutStore store = KubeKeyLayoutStore.open(small.resolve("images"));
            byte[] big = images.randomBytes(1024 * 1024);
            Descriptor blob = TestImages.blobDescriptor(big);

            ImageException e = assertThrows(ImageException.class, () -> store.writeBlob(repository, blob, TestImages.stream(big)));

            assertTrue(e.getMessage().startsWith("the disk of " + small.resolve("images/blobs") + " is full while writing blob "
                    + blob.digest()), e.getMessage());
            assertEquals(List.of(), StoreSafetyTest.fileNames(small.resolve("images/blobs")));
        } finally {
            run("umount", small.toString());
        }
    }

    @Test
    void aSourceThatFailsKeepsItsOwnErrorAndLeavesNoFile() throws IOException {
        KubeKeyLayoutStore store = KubeKeyLayoutStore.open(dir);
        byte[] content = images.randomBytes(300_000);
        ImageException fromRegistry = new ImageException("registry a.io: connection reset while reading blob; run again");
        InputStream failing = new InputStream() {
            private int served;

            @Override
            public int read() throws IOException {
                if (served++ > 1000) {
                    throw fromRegistry;
                }
                return 1;
            }
        };

        IOException e = assertThrows(IOException.class, () -> store.writeBlob(repository, TestImages.blobDescriptor(content), failing));

        assertSame(fromRegistry, e);
        assertEquals(List.of(), StoreSafetyTest.fileNames(dir.resolve("blobs")));
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }
}
