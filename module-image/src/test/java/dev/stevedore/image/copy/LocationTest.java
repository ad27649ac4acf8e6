package dev.stevedore.image.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LocationTest {

    @Test
    void readsTheThreeSchemes() {
        assertEquals(Location.Kind.REGISTRY, Location.parse("oci://reg.io/a/b:1", "dest").kind());
        assertEquals(Path.of("/srv/i"), Location.parse("local:///srv/i", "dest").path());
        assertEquals(Location.Kind.OCI_LAYOUT, Location.parse("oci-layout://out", "dest").kind());
    }

    @Test
    void aTagThatIsADigestBecomesADigestReference() {
        String digest = "sha256:" + "b".repeat(64);
        assertEquals("reg.io/a/b@" + digest, Location.parse("oci://reg.io/a/b:" + digest, "dest").reference().toString());
    }

    @Test
    void anInvalidRenderedReferenceIsRejectedClearly() {
        String message = assertThrows(InvalidLocationException.class, () -> Location.parse("oci://reg.io/Upper/x:1", "push.dest")).getMessage();
        assertTrue(message.startsWith("push.dest rendered to 'oci://reg.io/Upper/x:1', which is not a valid image reference"), message);
    }

    @Test
    void aRenderedValueWithoutSchemeIsRejected() {
        assertTrue(assertThrows(InvalidLocationException.class, () -> Location.parse("reg.io/x", "dest")).getMessage().contains("must start with oci://"));
        assertTrue(assertThrows(InvalidLocationException.class, () -> Location.parse("local://", "dest")).getMessage().contains("names no directory"));
    }

    @Test
    void aCompressedTarOtherThanTarZstIsRefusedAsABundleArchiveAndNeverBecomesAFolder() {
        assertEquals(Location.Kind.ARCHIVE, Location.parse("archive:///srv/bundle.tar", "dest").kind());
        assertEquals(Location.Kind.ARCHIVE, Location.parse("archive:///srv/bundle.tar.zst", "dest").kind());
        assertEquals("archive:///srv/bundle.tar.zst.part-0001", Location.ofStorePath("/srv/bundle.tar.zst.part-0001"));
        for (String given : new String[] {"archive:///srv/bundle.tzst", "archive:///srv/bundle.tgz",
                Location.ofStorePath("/srv/bundle.tar.gz"), Location.ofStorePath("/srv/bundle.tar.xz.part-0001")}) {
            String message = assertThrows(InvalidLocationException.class, () -> Location.parse(given, "pull.images_dir")).getMessage();
            assertTrue(message.startsWith("pull.images_dir '" + given + "' names a compressed tar of a kind a bundle archive is not"),
                    message);
            assertTrue(message.contains("name it FILE.tar (plain tar"), message);
            assertTrue(message.contains("or FILE.tar.zst"), message);
        }
        assertEquals("local:///srv/images.zst", Location.ofStorePath("/srv/images.zst"), "only a tar's compressed names are archives");
    }

    @Test
    void anArchiveNamedAsAnotherFormatIsRefusedBeforeATarIsWrittenUnderThatName() {
        // Before, archive:///srv/bundle.zip wrote a tar named bundle.zip.
        for (String given : new String[] {"archive:///srv/bundle.zip", "archive:///srv/bundle.7z", "archive:///srv/bundle.gz",
                "archive:///srv/bundle.zst", "archive:///srv/bundle.zip.part-0001"}) {
            String message = assertThrows(InvalidLocationException.class, () -> Location.parse(given, "dest")).getMessage();
            assertEquals("dest '" + given + "' names a file of another format than tar: a bundle archive is a tar; name it"
                    + " FILE.tar (plain tar, the default: layers are compressed already), or FILE.tar.zst for a bundle whose"
                    + " members are zstd-compressed", message);
        }
        for (String given : new String[] {"archive:///srv/bundle", "archive:///srv/bundle.img", "archive:///srv/bundle.tar.part-0002"}) {
            assertEquals(Location.Kind.ARCHIVE, Location.parse(given, "dest").kind(), given);
        }
    }
}
