package dev.stevedore.image.registry.http;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * When and how long to wait before repeating a request that failed in a retryable way (connection
 * error, 5xx, 429): exponential backoff with full jitter, or the server's {@code Retry-After}, within
 * a bounded number of attempts and a bounded total waiting time.
 *
 * @param maxAttempts  attempts in all, the first included (1 means never retry)
 * @param maxTotalWait the sum of waits of one request never exceeds this
 * @param baseDelay    the first backoff step; attempt n waits up to base * 2^(n-1)
 * @param maxDelay     cap on one backoff step
 */
public record RetryPolicy(int maxAttempts, Duration maxTotalWait, Duration baseDelay, Duration maxDelay,
                          Sleeper sleeper, RandomGenerator random) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
        Objects.requireNonNull(maxTotalWait, "maxTotalWait");
        Objects.requireNonNull(baseDelay, "baseDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        Objects.requireNonNull(sleeper, "sleeper");
        Objects.requireNonNull(random, "random");
    }

    public static RetryPolicy of(int maxAttempts, Duration maxTotalWait, Sleeper sleeper) {
        return new RetryPolicy(maxAttempts, maxTotalWait, Duration.ofMillis(500), Duration.ofSeconds(30), sleeper,
                RandomGenerator.getDefault());
    }

    /**
     * The wait before attempt {@code failedAttempt + 1}, or null when no retry is allowed: the attempts
     * are used up, or the wait would push the total past {@link #maxTotalWait}.
     *
     * @param failedAttempt the attempt that just failed, from 1
     * @param waitedSoFar   the waits already spent on this request
     * @param retryAfter    what the server asked for, or null
     */
    public Duration nextDelay(int failedAttempt, Duration waitedSoFar, Duration retryAfter) {
        if (failedAttempt >= maxAttempts) {
            return null;
        }
        Duration delay = retryAfter != null ? retryAfter : backoff(failedAttempt);
        return waitedSoFar.plus(delay).compareTo(maxTotalWait) > 0 ? null : delay;
    }

    private Duration backoff(int failedAttempt) {
        long cap = maxDelay.toMillis();
        long exponential = baseDelay.toMillis() << Math.min(failedAttempt - 1, 20);
        long ceiling = Math.min(cap, Math.max(1, exponential));
        // Full jitter between half and all of the step: parallel copies do not retry in lockstep.
        return Duration.ofMillis(ceiling / 2 + random.nextLong(ceiling / 2 + 1));
    }
}
