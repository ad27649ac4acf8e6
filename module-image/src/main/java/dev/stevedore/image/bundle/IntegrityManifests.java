package dev.stevedore.image.bundle;

import dev.stevedore.image.store.KubeKeyLayoutStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Keeps the integrity manifest of a KubeKey images directory up to date: {@link #update} is the closing step
 * of every {@code local://} destination ({@link KubeKeyLayoutStore.ClosingStep}), so after each pull or copy
 * into a directory {@value IntegrityManifest#FILE_NAME} describes the directory's whole contents, earlier
 * pulls included. It is written atomically (temporary file, flush, rename), and only when its bytes change.
 */
public final class IntegrityManifests {

    private IntegrityManifests() {
    }

    /** Records what {@code store}'s directory holds now. */
    public static void update(KubeKeyLayoutStore store) throws IOException {
        DirectoryContents contents = new DirectoryContents(store.directory());
        if (!Files.isDirectory(contents.directory())) {
            return; // nothing was written after all
        }
        byte[] bytes = IntegrityManifestCodec.write(BundleInventory.of(store, contents, ToolVersion.current(), List.of()));
        if (!Arrays.equals(bytes, existing(contents.directory().resolve(IntegrityManifest.FILE_NAME)))) {
            store.writeRootFile(IntegrityManifest.FILE_NAME, bytes);
        }
    }

    private static byte[] existing(Path file) throws IOException {
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                return null;
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
