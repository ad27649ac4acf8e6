package dev.stevedore.image.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.stevedore.image.error.ImageException;
import java.io.IOException;
import java.net.SocketException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * What the file system's refusals say. The exceptions are the JDK's own, as its Unix file system provider throws
 * them for EACCES, EROFS and ENOSPC; a full disk and a read-only one are also met for real in
 * {@code DiskFullTest} and {@code reliability.DiskFullPlaybookTest}. A permission cannot be: the tests run as
 * root there, whom no permission stops.
 */
class StoreFailuresTest {

    private static final Path DIRECTORY = Path.of("/srv/bundle");

    @Test
    void aPermissionSaysWhoMustBeAllowedWhatAndWhere() {
        IOException said = StoreFailures.ifRefusedByTheFileSystem(new AccessDeniedException("/srv/bundle/bundle.tar"), DIRECTORY,
                "blob sha256:ab for bundle archive /srv/bundle/bundle.tar");

        assertEquals("cannot write blob sha256:ab for bundle archive /srv/bundle/bundle.tar: permission denied in /srv/bundle;"
                + " let the user stevedore runs as write there, or choose another destination", said.getMessage());
    }

    @Test
    void aReadOnlyFileSystemSaysToRemountIt() {
        IOException said = StoreFailures.onWrite(new FileSystemException("/srv/bundle/blobs", null, "Read-only file system"),
                DIRECTORY, "blob sha256:ab");

        assertEquals("cannot write blob sha256:ab: the file system of /srv/bundle is read-only; remount it read-write or"
                + " choose another destination", said.getMessage());
    }

    @Test
    void whatTheFileSystemDidNotRefuseIsLeftAsItIsForAStoreThatAlsoReadsTheSource() {
        SocketException reset = new SocketException("Connection reset");
        ImageException fromRegistry = new ImageException("registry a.io: blob unknown");

        assertSame(reset, StoreFailures.ifRefusedByTheFileSystem(reset, DIRECTORY, "blob sha256:ab"));
        assertSame(fromRegistry, StoreFailures.ifRefusedByTheFileSystem(fromRegistry, DIRECTORY, "blob sha256:ab"));
        assertEquals("cannot write blob sha256:ab into /srv/bundle: java.net.SocketException: Connection reset",
                StoreFailures.onWrite(reset, DIRECTORY, "blob sha256:ab").getMessage());
    }
}
