package dev.stevedore.image.copy;

import dev.stevedore.spi.Cancellation;
import java.io.InterruptedIOException;

/**
 * The copier's one question "should this copy stop now?", and its one answer: an
 * {@link InterruptedIOException} that destinations treat as "abandon the temporary file" and that
 * {@link Copier#reason} reports as "cancelled before it finished".
 *
 * <p>A copy stops when the run is cancelled (Ctrl-C, a timeout), and also when the worker thread was
 * interrupted: the pool is shut down, so no one waits for what it would write.
 */
final class CancellationCheck {

    /**
     * How long a wait on the copier's own thread (for an image's result, for room to plan one) lasts before it
     * looks at the cancellation again.
     */
    static final long POLL_MILLIS = 50;

    private static final String MESSAGE = "the copy was cancelled";

    private final Cancellation cancellation;

    CancellationCheck(Cancellation cancellation) {
        this.cancellation = cancellation;
    }

    boolean isCancelled() {
        return cancellation.isCancelled() || Thread.currentThread().isInterrupted();
    }

    void throwIfCancelled() throws InterruptedIOException {
        if (isCancelled()) {
            throw cancelled();
        }
    }

    /** The exception for a wait that was interrupted or cancelled. */
    static InterruptedIOException cancelled() {
        return new InterruptedIOException(MESSAGE);
    }
}
