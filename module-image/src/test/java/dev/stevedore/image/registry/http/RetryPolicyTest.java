package dev.stevedore.image.registry.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    final RetryPolicy policy = new RetryPolicy(5, Duration.ofSeconds(10), Duration.ofMillis(100), Duration.ofSeconds(2),
            d -> { }, RandomGenerator.of("L64X128MixRandom"));

    @Test
    void backoffGrowsExponentiallyWithJitterWithinHalfAndAllOfTheStep() {
        for (int attempt = 1; attempt <= 4; attempt++) {
            long step = Math.min(2000, 100L << (attempt - 1));
            for (int i = 0; i < 50; i++) {
                long delay = policy.nextDelay(attempt, Duration.ZERO, null).toMillis();
                assertTrue(delay >= step / 2 && delay <= step, "attempt " + attempt + " waited " + delay);
            }
        }
    }

    @Test
    void oneStepNeverExceedsTheMaximumDelay() {
        RetryPolicy many = new RetryPolicy(30, Duration.ofHours(1), Duration.ofMillis(100), Duration.ofSeconds(2), d -> { },
                RandomGenerator.getDefault());
        assertTrue(many.nextDelay(25, Duration.ZERO, null).toMillis() <= 2000);
    }

    @Test
    void retryAfterFromTheServerIsHonoured() {
        assertEquals(Duration.ofSeconds(3), policy.nextDelay(1, Duration.ZERO, Duration.ofSeconds(3)));
    }

    @Test
    void noRetryOnceTheAttemptsAreUsedUp() {
        assertNull(policy.nextDelay(5, Duration.ZERO, null));
    }

    @Test
    void noRetryWhenTheWaitWouldExceedTheTotalBudget() {
        assertNull(policy.nextDelay(1, Duration.ofSeconds(8), Duration.ofSeconds(3)));
        assertEquals(Duration.ofSeconds(2), policy.nextDelay(1, Duration.ofSeconds(8), Duration.ofSeconds(2)));
    }
}
