package dev.stevedore.image.registry;

import dev.stevedore.image.registry.http.RetryPolicy;
import java.time.Duration;

/**
 * The attempts and the waiting one operation may spend, across every request it makes. An upload of one
 * blob is one operation: the POSTs that open its sessions (which the endpoint caller retries) and the
 * sessions the uploader starts over draw from one budget, so a registry that keeps failing costs
 * {@code max_attempts} attempts, not that number squared. Thread-confined: one operation runs on one thread.
 */
final class RetryBudget {

    private final RetryPolicy policy;
    private int attempt = 1;
    private Duration waited = Duration.ZERO;

    RetryBudget(RetryPolicy policy) {
        this.policy = policy;
    }

    /** The number of the attempt under way: 1 for the first. */
    int attempt() {
        return attempt;
    }

    int maxAttempts() {
        return policy.maxAttempts();
    }

    /**
     * The attempt under way failed in a way another attempt may mend: the wait before the next one, which it
     * then counts, or null when the operation has spent its attempts or its waiting time.
     *
     * @param retryAfter what the server asked for, or null
     */
    Duration afterFailure(Duration retryAfter) {
        Duration delay = policy.nextDelay(attempt, waited, retryAfter);
        if (delay != null) {
            attempt++;
            waited = waited.plus(delay);
        }
        return delay;
    }
}
