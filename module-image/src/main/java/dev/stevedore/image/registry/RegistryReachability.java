package dev.stevedore.image.registry;

import dev.stevedore.image.registry.http.ConnectionFault;
import dev.stevedore.image.registry.http.RetryPolicy;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Whether one registry can be reached, shared by every request a task sends it. Connections that
 * cannot be made are retried from one budget for the registry, not one per request: requests that
 * fail while a wait is under way wait with it instead of starting their own, each round of waiting is
 * announced once, and once the budget is spent every request fails at once with the same cause. So a
 * pull of 100 images from a registry that is down fails in the time of one image's retries.
 */
final class RegistryReachability {

    private final String host;
    private final RetryPolicy policy;
    private final Clock clock;
    private final RegistryEvents events;
    private int round;
    private Duration waited = Duration.ZERO;
    private Instant nextTry = Instant.MIN;
    private ConnectionFault given;

    RegistryReachability(String host, RetryPolicy policy, Clock clock, RegistryEvents events) {
        this.host = host;
        this.policy = policy;
        this.clock = clock;
        this.events = events;
    }

    /** Fails at once when the registry was already given up on. */
    synchronized void checkNotGivenUp() throws GivenUp {
        if (given != null) {
            throw new GivenUp(given, round + 1);
        }
    }

    /** A response came: the registry is there, and the next fault starts a fresh budget. */
    synchronized void reached() {
        round = 0;
        waited = Duration.ZERO;
        nextTry = Instant.MIN;
    }

    /**
     * A connection could not be made. Returns once another attempt may be made (after the shared wait),
     * or throws when the budget is spent or waiting cannot help.
     *
     * @param joined the round this request last waited for (0 at first): failing again after it, the
     *               request starts the next round rather than waiting for the same one twice
     * @return the round waited for, to pass in next time
     */
    int failed(ConnectionFault fault, int joined) throws GivenUp, InterruptedIOException {
        Duration wait;
        int waitedFor;
        synchronized (this) {
            checkNotGivenUp();
            Instant now = clock.instant();
            if (round > joined && now.isBefore(nextTry)) {
                wait = Duration.between(now, nextTry); // another request has this round's wait under way
            } else {
                round++;
                Duration delay = fault.retryable() ? policy.nextDelay(round, waited, null) : null;
                if (delay == null) {
                    given = fault;
                    throw new GivenUp(fault, round);
                }
                waited = waited.plus(delay);
                nextTry = now.plus(delay);
                wait = delay;
                events.retrying(host, fault.words(), round + 1, policy.maxAttempts(), delay);
            }
            waitedFor = round;
        }
        try {
            policy.sleeper().sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to reach registry " + host);
        }
        return waitedFor;
    }

    /** The registry is given up on for this task. */
    static final class GivenUp extends Exception {
        private final ConnectionFault fault;
        private final int attempts;

        GivenUp(ConnectionFault fault, int attempts) {
            super(fault.words(), null, false, false);
            this.fault = fault;
            this.attempts = attempts;
        }

        ConnectionFault fault() {
            return fault;
        }

        int attempts() {
            return attempts;
        }
    }
}
