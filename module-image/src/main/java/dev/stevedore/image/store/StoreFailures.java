package dev.stevedore.image.store;

import dev.stevedore.image.error.ImageException;
import java.io.IOException;
import java.nio.file.Path;

/** Turns file system failures into messages an operator can act on. */
public final class StoreFailures {

    private static final String DISK_FULL = "No space left on device";
    private static final String QUOTA = "Disk quota exceeded";

    private StoreFailures() {
    }

    /**
     * The exception to throw for a failed write into {@code directory}: a full disk becomes an
     * {@link ImageException} that says so; an {@code ImageException} passes through; anything else is
     * wrapped with what was being written.
     */
    static IOException onWrite(IOException failure, Path directory, String what) {
        IOException said = ifDiskFull(failure, directory, what);
        if (said != failure || failure instanceof ImageException) {
            return said;
        }
        return new ImageException("cannot write " + what + " into " + directory + ": " + failure, failure);
    }

    /**
     * {@code failure} as an {@link ImageException} that says the disk of {@code directory} is full, when that is
     * what it is; otherwise {@code failure} itself. For a store whose writes also read the source (a bundle
     * archive streams a blob from the registry into the file), so that a source's error is left as it is.
     */
    public static IOException ifDiskFull(IOException failure, Path directory, String what) {
        if (failure instanceof ImageException || !(mentions(failure, DISK_FULL) || mentions(failure, QUOTA))) {
            return failure;
        }
        return new ImageException("the disk of " + directory + " is full while writing " + what
                + ": free some space (or choose another destination) and run the task again", failure);
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
