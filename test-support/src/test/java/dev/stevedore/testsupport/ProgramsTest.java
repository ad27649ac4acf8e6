package dev.stevedore.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

class ProgramsTest {

    private static final String HTPASSWD_MISSING = "this test needs htpasswd, which is not on the PATH; install it with"
            + " `apt-get install -y apache2-utils` as root, or run ./test as root, which installs everything the tests need and runs them";

    @Test
    void aMissingProgramSkipsTheTestNamingItAndTheCommandThatInstallsIt(@TempDir Path empty) {
        TestAbortedException skipped = assertThrows(TestAbortedException.class, () -> Programs.require("htpasswd", empty.toString(), false));
        assertEquals(HTPASSWD_MISSING, skipped.getMessage());
    }

    @Test
    void underTestAMissingProgramFailsTheTestInstead(@TempDir Path empty) {
        Programs.MissingProgramException missing = assertThrows(Programs.MissingProgramException.class,
                () -> Programs.require("htpasswd", empty.toString(), true));
        assertEquals(HTPASSWD_MISSING, missing.getMessage());
    }

    @Test
    void aProgramOnThePathIsFoundInAnyOfItsDirectories(@TempDir Path dir) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.createFile(bin.resolve("skopeo"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        assertEquals("skopeo", Programs.require("skopeo", dir.resolve("none") + ":" + bin, true));
    }

    @Test
    void aFileThatIsNotExecutableDoesNotCount(@TempDir Path dir) throws IOException {
        Files.createFile(dir.resolve("tinyproxy"));
        assertThrows(Programs.MissingProgramException.class, () -> Programs.require("tinyproxy", dir.toString(), true));
    }
}
