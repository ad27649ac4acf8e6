package dev.stevedore.image.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a verify operand may name: the schemes it takes, and where each one looks. */
class BundleVerificationTest {

    @TempDir
    Path work;

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
}
