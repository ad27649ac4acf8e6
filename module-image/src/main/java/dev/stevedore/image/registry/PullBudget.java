package dev.stevedore.image.registry;

import java.net.http.HttpHeaders;
import java.util.Objects;

/**
 * What one registry's pull budget ({@link RateLimit}) leaves for the images a copy reads from it. The copy
 * says how many it will read ({@link #expect}); each answer announcing a budget is shown (for {@code -v})
 * when it changed; and when an image's manifest has been pulled or refused and fewer pulls remain than
 * images are left, a warning says so once, at the first image, before any blob moves. Thread-safe.
 */
final class PullBudget {

    private final String host;
    private final RegistryEvents events;
    private int expected;
    private int pulled;
    private RateLimit last;
    private boolean warned;

    PullBudget(String host, RegistryEvents events) {
        this.host = host;
        this.events = events;
    }

    /** {@code images} more images are to be read from this registry in this task. */
    synchronized void expect(int images) {
        expected += images;
    }

    /** One of the images expected is not to be pulled after all: a {@code HEAD} showed it unchanged. */
    synchronized void spared() {
        expected--;
    }

    /** Any answer from the registry; one that announces a budget is remembered. */
    void observe(HttpHeaders headers) {
        RateLimit.of(headers).ifPresent(this::seen);
    }

    private synchronized void seen(RateLimit budget) {
        if (!Objects.equals(last, budget)) {
            last = budget;
            events.pullBudget(host, budget);
        }
    }

    /** An image's manifest was pulled. */
    synchronized void pulled() {
        pulled++;
        check();
    }

    /** An image's manifest was refused because the budget is spent. */
    synchronized void refused() {
        check();
    }

    private void check() {
        int left = expected - pulled;
        if (!warned && last != null && last.remaining() < left) {
            warned = true;
            events.pullBudgetShort(host, last, left);
        }
    }
}
