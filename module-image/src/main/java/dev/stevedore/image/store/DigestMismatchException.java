package dev.stevedore.image.store;

import dev.stevedore.image.error.ContentMismatch;
import dev.stevedore.image.error.ImageException;
import dev.stevedore.image.reference.Digest;

/**
 * Content whose digest or size is not the one its descriptor promised. Nothing is stored under the
 * final name when this is thrown: the partial copy is deleted.
 */
public class DigestMismatchException extends ImageException implements ContentMismatch {

    private final Digest expected;
    private final Digest actual;

    private DigestMismatchException(String message, Digest expected, Digest actual) {
        super(message);
        this.expected = expected;
        this.actual = actual;
    }

    /** The content hashed to {@code actual} instead of {@code expected}. */
    public static DigestMismatchException ofDigest(Digest expected, Digest actual, String target) {
        return new DigestMismatchException("digest mismatch for " + target + ": expected " + expected + ", got "
                + actual + "; the content was corrupted in transit or on disk, run the task again", expected, actual);
    }

    /** The content had {@code actualSize} bytes (or more) instead of {@code expectedSize}. */
    public static DigestMismatchException ofSize(Digest expected, long expectedSize, String actualSize, String target) {
        return new DigestMismatchException("size mismatch for " + expected + " in " + target + ": expected "
                + expectedSize + " bytes, got " + actualSize + "; the content was truncated or replaced, run the task again",
                expected, null);
    }

    public Digest expected() {
        return expected;
    }

    /** The digest the content really had, or null when the size already differed. */
    public Digest actual() {
        return actual;
    }
}
