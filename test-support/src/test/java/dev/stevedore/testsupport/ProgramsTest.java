package dev.stevedore.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgramsTest {

    @Test
    void aMissingProgramFailsNamingItAndTheCommandThatInstallsIt(@TempDir Path empty) {
        Programs.MissingProgramException missing = assertThrows(Programs.MissingProgramException.class,
                () -> Programs.require("htpasswd", empty.toString()));
        assertEquals("this test needs htpasswd, which is not on the PATH; install it with `apt-get install -y apache2-utils`"
                + " as root, or run ./test as root, which installs everything the tests need and runs them", missing.getMessage());
    }

    @Test
    void aProgramOnThePathIsFoundInAnyOfItsDirectories(@TempDir Path dir) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.createFile(bin.resolve("skopeo"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        assertEquals("skopeo", Programs.require("skopeo", dir.resolve("none") + ":" + bin));
    }

    @Test
    void aFileThatIsNotExecutableDoesNotCount(@TempDir Path dir) throws IOException {
        Files.createFile(dir.resolve("tinyproxy"));
        assertThrows(Programs.MissingProgramException.class, () -> Programs.require("tinyproxy", dir.toString()));
    }
}
