package dev.stevedore.image.error;

/**
 * A failure because content is not what its descriptor promised: its bytes hash to another digest, or
 * there are fewer or more of them than its size. The same bytes fail the same way again, so the remedy is
 * another copy of the content (run the task again, or copy the image from its origin again), never the
 * same request repeated.
 *
 * <p>An interface rather than a base class, because the two kinds already have the base their callers
 * need: a registry's mismatch ({@code RegistryException.DigestMismatch}) is a {@code RegistryException},
 * which is how the endpoint caller, the uploader and the resuming blob stream tell a final answer from one
 * worth retrying; a directory's ({@code DigestMismatchException}) is what a store throws and catches
 * when it checks a partial download it kept. Code that only asks whether the content did not match tests
 * for this type.
 */
public interface ContentMismatch {

    /** What did not match, for which blob or manifest and where, and what to do; as the exception's message. */
    String getMessage();
}
