package dev.stevedore.image.registry;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a registry client waits, and how often it tries again.
 *
 * @param connectTimeout TCP/TLS connect timeout
 * @param readTimeout    longest silence tolerated inside a response body before the transfer fails
 * @param maxAttempts    attempts per request for retryable failures (connection errors, 5xx, 429)
 * @param maxRetryTime   upper bound on the total time spent waiting between attempts of one request
 */
public record RetryLimits(Duration connectTimeout, Duration readTimeout, int maxAttempts, Duration maxRetryTime) {

    /** For a real run: 10 s to connect, 60 s of silence, 5 attempts, 2 minutes of waiting. */
    public static final RetryLimits DEFAULT = new RetryLimits(Duration.ofSeconds(10), Duration.ofSeconds(60), 5, Duration.ofMinutes(2));

    public RetryLimits {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(readTimeout, "readTimeout");
        Objects.requireNonNull(maxRetryTime, "maxRetryTime");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be positive, got " + maxAttempts);
        }
    }
}
