package dev.stevedore.image.error;

/**
 * The destination's file system holds no file as large as a write needs: FAT32, as USB sticks often are, holds
 * 4 GiB less one byte at most. Unlike a full disk, running the task again meets the same limit, so what closes
 * a destination does not promise that the next run finishes it; the message says what does.
 */
public class FileTooLarge extends ImageException {

    public FileTooLarge(String message, Throwable cause) {
        super(message, cause);
    }
}
