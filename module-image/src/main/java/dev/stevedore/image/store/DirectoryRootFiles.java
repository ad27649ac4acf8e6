package dev.stevedore.image.store;

import dev.stevedore.image.error.ImageException;
import dev.stevedore.image.target.RootFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The root files of a directory store: plain files at its root, written atomically (temporary file, flush,
 * rename), read only when they are regular files and no larger than a root file has reason to be.
 */
record DirectoryRootFiles(StoreRoot root, AtomicFiles files) implements RootFiles {

    private static final int MAX_SIZE = 64 * 1024 * 1024;

    @Override
    public Optional<byte[]> read(String name) throws IOException {
        Path file = root.resolve(name);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            bytes = in.readNBytes(MAX_SIZE + 1);
        }
        if (bytes.length > MAX_SIZE) {
            throw new ImageException(file + " is larger than " + MAX_SIZE + " bytes, too large for a bundle's " + name
                    + "; remove it or write it anew");
        }
        return Optional.of(bytes);
    }

    @Override
    public void write(String name, byte[] content) throws IOException {
        try {
            files.writeBytes(root.resolve(name), content);
        } catch (IOException e) {
            throw StoreFailures.onWrite(e, root.path(), name);
        }
    }
}
