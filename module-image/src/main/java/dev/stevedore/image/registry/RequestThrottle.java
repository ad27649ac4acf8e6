package dev.stevedore.image.registry;

import java.io.InterruptedIOException;
import java.util.OptionalInt;

/**
 * How many requests to one registry may be in flight at once. Unbounded until the registry answers 429
 * (too many requests); then the bound is halved, and halved again at each 429 to a request sent under
 * the new bound, down to one, for the rest of the task. So a rate limit slows every transfer to that
 * registry together, instead of each request spending its retries alone. A 429 to a request sent
 * before the last halving is the same overload, already answered.
 */
final class RequestThrottle {

    /** A request's place in flight, and the bound it was sent under. */
    record Permit(int generation) { }

    private int limit = Integer.MAX_VALUE;
    private int inFlight;
    private int generation;

    /** Waits for a place; interruptible, as cancelling the task interrupts its transfers. */
    synchronized Permit acquire() throws InterruptedIOException {
        while (inFlight >= limit) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for a request slot");
            }
        }
        inFlight++;
        return new Permit(generation);
    }

    /** The request's answer has arrived (its body may still stream: the registry counts requests). */
    synchronized void release() {
        inFlight--;
        notifyAll();
    }

    /**
     * The registry answered 429 to the request sent with {@code permit} (already released).
     *
     * @return the new bound, when this answer lowered it
     */
    synchronized OptionalInt rateLimited(Permit permit) {
        if (permit.generation() != generation || limit == 1) {
            return OptionalInt.empty();
        }
        limit = Math.max(1, Math.min(limit, inFlight + 1) / 2);
        generation++;
        return OptionalInt.of(limit);
    }

    synchronized int limit() {
        return limit;
    }
}
