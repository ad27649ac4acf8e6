package dev.stevedore.image.store;

import dev.stevedore.image.error.FileTooLarge;
import dev.stevedore.image.error.ImageException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;

/** Turns file system failures into messages an operator can act on. */
public final class StoreFailures {

    private static final String DISK_FULL = "No space left on device";
    private static final String QUOTA = "Disk quota exceeded";
    private static final String READ_ONLY = "Read-only file system";
    private static final String TOO_LARGE = "File too large"; // EFBIG: past the file system's largest file

    private StoreFailures() {
    }

    /**
     * The exception to throw for a failed write into {@code directory}: a full disk, a read-only file system or a
     * directory the user may not write become an {@link ImageException} that says so; an {@code ImageException}
     * passes through; anything else is wrapped with what was being written.
     */
    static IOException onWrite(IOException failure, Path directory, String what) {
        IOException said = ifRefusedByTheFileSystem(failure, directory, what);
        if (said != failure || failure instanceof ImageException) {
            return said;
        }
        return new ImageException("cannot write " + what + " into " + directory + ": " + failure, failure);
    }

    /**
     * {@code failure} as an {@link ImageException} that says what the file system refused and what to do, when it
     * is a full disk (or quota), a file larger than the file system holds ({@link FileTooLarge}), a read-only file
     * system or a permission; otherwise {@code failure} itself. For a store whose writes also read the source (a
     * bundle archive streams a blob from the registry into the file), so that a source's error is left as it is.
     */
    public static IOException ifRefusedByTheFileSystem(IOException failure, Path directory, String what) {
        if (failure instanceof ImageException) {
            return failure;
        }
        if (mentions(failure, DISK_FULL) || mentions(failure, QUOTA)) {
            return new ImageException("the disk of " + directory + " is full while writing " + what
                    + ": free some space (or choose another destination) and run the task again", failure);
        }
        if (mentions(failure, TOO_LARGE)) {
            // The one remedy is smaller files: a bundle archive's parts are the only files whose size a pull chooses.
            return new FileTooLarge("cannot write " + what + ": the file system of " + directory + " holds no file this"
                    + " large (FAT32, as USB sticks often are, holds 4 GiB less one byte at most); pull into a bundle"
                    + " archive in parts that fit instead (archive://FILE.tar with max_part_size: 4095M; one begun as a"
                    + " single file, or in larger parts, must be removed first), or write to another file system", failure);
        }
        // Neither goes away by itself: said as what it is, with what to change, rather than as a Java exception.
        if (mentions(failure, READ_ONLY)) {
            return new ImageException("cannot write " + what + ": the file system of " + directory + " is read-only;"
                    + " remount it read-write or choose another destination", failure);
        }
        if (failure instanceof AccessDeniedException) {
            // Not the file it names: that is often a temporary file, a name the operator never gave.
            return new ImageException("cannot write " + what + ": permission denied in " + directory
                    + "; let the user stevedore runs as write there, or choose another destination", failure);
        }
        return failure;
    }

    private static boolean mentions(Throwable failure, String text) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains(text)) {
                return true;
            }
        }
        return false;
    }
}
