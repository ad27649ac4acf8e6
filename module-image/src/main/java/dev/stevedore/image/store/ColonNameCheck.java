package dev.stevedore.image.store;

import dev.stevedore.image.error.ImageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Whether the file system of a KubeKey images directory takes {@code :} in a file name, asked once before the
 * first write. The layout needs it ({@code blobs/sha256:<hex>}, a registry's {@code host:port} folder), and FAT32
 * and exFAT, as USB sticks carried across an air gap are often formatted, refuse it: the kernel's drivers with
 * EINVAL, the FUSE exFAT driver with ENOENT. Without the question each image failed with a
 * {@code NoSuchFileException} naming a temporary file, which says nothing of the cause.
 */
final class ColonNameCheck {

    private final Path directory;
    private final String describe;
    private final AtomicFiles files;
    private final SecureRandom random = new SecureRandom();
    private volatile boolean passed; // read without the lock: every write of the store asks
    private ImageException refusal; // guarded by this

    ColonNameCheck(Path directory, String describe, AtomicFiles files) {
        this.directory = directory;
        this.describe = describe;
        this.files = files;
    }

    /**
     * Returns when the directory's file system takes the name; otherwise fails, each time, with the same
     * {@link ImageException}, saying what to do instead. A directory where no file can be created at all fails
     * with that cause instead, said by {@link StoreFailures}.
     */
    void require() throws IOException {
        if (!passed) {
            check();
        }
    }

    private synchronized void check() throws IOException {
        if (passed) {
            return;
        }
        if (refusal != null) {
            throw refusal;
        }
        byte[] unique = new byte[6];
        random.nextBytes(unique);
        Path plain = directory.resolve(AtomicFiles.TEMP_PREFIX + "name-check-" + HexFormat.of().formatHex(unique));
        try {
            files.createDirectories(directory);
            if (!created(plain.resolveSibling(plain.getFileName() + ":sha256"))) {
                // Where a plain name is taken and this one is not, the colon is the cause; where neither is, this
                // throws the cause (a read-only file system, a permission).
                Files.createFile(plain);
                Files.delete(plain);
                Path parent = directory.getParent() == null ? directory : directory.getParent();
                refusal = new ImageException(describe + ": its file system refuses ':' in a file name, which the directory's"
                        + " names need (blobs/sha256:<hex>, a registry's host:port folder); FAT32 and exFAT, as USB sticks"
                        + " often are, refuse it. Pull into a bundle archive there instead (archive://"
                        + parent.resolve("bundle.tar") + ", with max_part_size: 4095M on FAT32), which tar -x turns into"
                        + " this directory on another file system, or write the directory to another file system");
                throw refusal;
            }
        } catch (IOException e) {
            throw StoreFailures.onWrite(e, directory, "the first file of " + describe);
        }
        passed = true;
    }

    /** Creates and removes {@code file}; false when the file system refused to create it. */
    private static boolean created(Path file) throws IOException {
        try {
            Files.createFile(file);
        } catch (IOException e) {
            return false;
        }
        Files.deleteIfExists(file);
        return true;
    }
}
