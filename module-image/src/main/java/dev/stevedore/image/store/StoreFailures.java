package dev.stevedore.image.store;

import dev.stevedore.image.error.ImageException;
import java.io.IOException;
import java.nio.file.Path;

/** Turns file system failures into messages an operator can act on. */
final class StoreFailures {

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
        if (failure instanceof ImageException) {
            return failure;
        }
        if (mentions(failure, DISK_FULL) || mentions(failure, QUOTA)) {
            return new ImageException("the disk of " + directory + " is full while writing " + what
                    + ": free some space (or choose another images directory) and run the task again", failure);
        }
        return new ImageException("cannot write " + what + " into " + directory + ": " + failure, failure);
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
