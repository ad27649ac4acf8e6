package dev.stevedore.image.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.image.error.ImageException;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreRootTest {

    @TempDir
    Path dir;

    @Test
    void plainNamesAndRepositoryPathsResolveInsideTheRoot() throws ImageException {
        StoreRoot root = new StoreRoot(dir);
        assertEquals(dir.resolve("127.0.0.1:5000/a/b/c/manifests/sha256:00"),
                root.resolve("127.0.0.1:5000", "a/b/c", "manifests", "sha256:00"));
    }

    @Test
    void everyComponentThatCouldLeaveTheRootIsRefused() {
        StoreRoot root = new StoreRoot(dir.resolve("images"));
        for (String bad : new String[] {"..", ".", "", "a/../..", "../x", "a\\..\\..", "x\0y", "a//b"}) {
            assertThrows(ImageException.class, () -> root.resolve("registry", bad, "manifests"), bad);
        }
        assertThrows(ImageException.class, () -> root.requireInside(dir.resolve("images/../other")));
        assertThrows(ImageException.class, () -> root.requireInside(Path.of("/etc/passwd")));
    }

    @Test
    void aFullDiskIsReportedAsSuchWithTheDirectory() {
        IOException full = StoreFailures.onWrite(new IOException("No space left on device"), dir, "blob sha256:ab");
        assertTrue(full instanceof ImageException);
        assertTrue(full.getMessage().startsWith("the disk of " + dir + " is full while writing blob sha256:ab"), full.getMessage());
        IOException other = StoreFailures.onWrite(new IOException("Input/output error"), dir, "blob sha256:ab");
        assertTrue(other.getMessage().contains("cannot write blob sha256:ab into " + dir), other.getMessage());
        ImageException passed = new ImageException("already clear");
        assertEquals(passed, StoreFailures.onWrite(passed, dir, "x"));
    }
}
