package dev.stevedore.image.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ArchiveFileNamesTest {

    @Test
    void anArchiveIsATarFileOrOneOfItsParts() {
        assertTrue(ArchiveFileNames.isArchive("bundle.tar"));
        assertTrue(ArchiveFileNames.isArchive("bundle.tar.part-0002"));
        assertTrue(ArchiveFileNames.isArchive("bundle.tar.part-10000"), "more than 9,999 parts take more digits");
        assertFalse(ArchiveFileNames.isArchive("bundle.tar.part-2"), "a part number has four digits at least");
        assertFalse(ArchiveFileNames.isArchive("bundle.tar.gz"));
        assertFalse(ArchiveFileNames.isArchive("images"));
    }

    @Test
    void aZstdBundleIsNamedTarZstAndSoAreItsParts() {
        for (String name : new String[] {"bundle.tar.zst", "bundle.tar.zst.part-0003"}) {
            assertTrue(ArchiveFileNames.isArchive(name), name);
            assertTrue(ArchiveFileNames.isZstd(name), name);
            assertFalse(ArchiveFileNames.isCompressedTar(name), name);
        }
        for (String name : new String[] {"bundle.tar", "bundle.tar.part-0001", "bundle.tzst", "bundle.tar.zstd", "bundle.zst"}) {
            assertFalse(ArchiveFileNames.isZstd(name), name);
        }
    }

    @Test
    void anotherCompressedTarIsNamedByItsSuffixes() {
        for (String name : new String[] {"bundle.tar.gz", "bundle.tar.zstd", "bundle.tar.xz", "bundle.tar.bz2",
                "bundle.tar.lz4", "bundle.tgz", "bundle.tzst", "bundle.txz", "bundle.tbz", "bundle.tbz2", "bundle.tar.gz.part-0003"}) {
            assertTrue(ArchiveFileNames.isCompressedTar(name), name);
            assertFalse(ArchiveFileNames.isArchive(name), name);
        }
        for (String name : new String[] {"bundle.tar", "bundle.tar.part-0001", "images", "notes.gz", "bundle.tar.gz.txt"}) {
            assertFalse(ArchiveFileNames.isCompressedTar(name), name);
        }
    }

    @Test
    void aPartNamesItsArchiveAndTheArchiveItsParts() {
        Path base = Path.of("/srv/bundle.tar");
        assertEquals(Path.of("/srv/bundle.tar.part-0001"), ArchiveFileNames.part(base, 1));
        assertEquals(Path.of("/srv/bundle.tar.part-0012"), ArchiveFileNames.part(base, 12));
        assertEquals(base, ArchiveFileNames.base(Path.of("/srv/bundle.tar.part-0012")));
        assertEquals(base, ArchiveFileNames.base(base));
        assertEquals(Path.of("/srv/images"), ArchiveFileNames.base(Path.of("/srv/images")));
    }
}
