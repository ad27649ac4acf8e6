package dev.stevedore.image.registry.auth;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The token for one set of scopes. Requests that find it missing or stale at the same time wait for
 * one fetch instead of each asking the token service (30 images with short-lived tokens would otherwise
 * ask dozens of times within a second).
 */
final class TokenSlot {

    /** Fetches a token; may take a round trip. */
    @FunctionalInterface
    interface Fetch {
        Token fetch() throws IOException;
    }

    /** A bearer token and when to stop using it. */
    record Token(String value, Instant expires, Duration margin) {
        boolean isStale(Instant now) {
            return !now.isBefore(expires.minus(margin));
        }

        @Override
        public String toString() {
            return "Token[expires=" + expires + "]";
        }
    }

    private final Clock clock;
    private Token token;

    TokenSlot(Clock clock) {
        this.clock = clock;
    }

    synchronized String current(Fetch fetch) throws IOException {
        if (token == null || token.isStale(clock.instant())) {
            token = fetch.fetch();
        }
        return token.value();
    }

    synchronized boolean holds(String value) {
        return token != null && token.value().equals(value);
    }

    /** Forgets the token, unless another request has already replaced it. */
    synchronized void drop(String value) {
        if (holds(value)) {
            token = null;
        }
    }

    /** Refresh a little early (a tenth of the lifetime, at most 30 s) so a token never expires in flight. */
    static Duration refreshMargin(Duration lifetime) {
        Duration tenth = lifetime.dividedBy(10);
        return tenth.compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30) : tenth;
    }
}
