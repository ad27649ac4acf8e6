package dev.stevedore.image.bundle;

import dev.stevedore.image.store.KubeKeyLayoutStore;
import dev.stevedore.image.store.archive.ArchiveStore;
import dev.stevedore.image.target.RootFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;

/**
 * Keeps the integrity manifest of a KubeKey images directory up to date: {@link #update} is the closing step
 * of every {@code local://} destination ({@link KubeKeyLayoutStore.ClosingStep}), so after each pull or copy
 * into a directory {@value IntegrityManifest#FILE_NAME} describes the directory's whole contents, earlier
 * pulls included. It is written atomically (temporary file, flush, rename), and only when its bytes change.
 * A bundle archive gets the same file, built the same way over its members, as a member appended at close
 * ({@link ArchiveStore.ClosingStep}), so that {@code tar -x} gives the file a pull into a directory writes.
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
        record(store.rootFiles().orElseThrow(), BundleInventory.of(store, contents, ToolVersion.current(), List.of()));
    }

    /**
     * Records what {@code archive} holds now, as a member written at close when its bytes change. Its
     * {@code parts} stay empty: a part cannot hold its own hash, so the parts' sums are in
     * {@code NAME.sha256} beside them ({@code PartChecksums}), and the member is the one a directory pull writes.
     */
    public static void update(ArchiveStore archive) throws IOException {
        ArchiveContents contents = new ArchiveContents(archive);
        record(archive.rootFiles().orElseThrow(), BundleInventory.of(archive, contents, ToolVersion.current(), List.of()));
    }

    private static void record(RootFiles bundle, IntegrityManifest manifest) throws IOException {
        byte[] bytes = IntegrityManifestCodec.write(manifest);
        if (!Arrays.equals(bytes, bundle.read(IntegrityManifest.FILE_NAME).orElse(null))) {
            bundle.write(IntegrityManifest.FILE_NAME, bytes);
        }
    }
}
