package dev.stevedore.image.registry;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pull budget as a registry announces it: Docker Hub sends {@code RateLimit-Limit: 100;w=21600} and
 * {@code RateLimit-Remaining: 76;w=21600} with its manifest answers (GET and HEAD; only a GET counts as a
 * pull), the window in seconds.
 *
 * @param limit     pulls allowed per window
 * @param remaining pulls left in the current window
 * @param window    the window, {@link Duration#ZERO} when the registry does not say
 */
public record RateLimit(int limit, int remaining, Duration window) {

    private static final Pattern VALUE = Pattern.compile("\\s*(\\d+)\\s*(?:;.*?\\bw\\s*=\\s*(\\d+))?.*");

    /** The budget a response announces, or empty when it announces none (or not in this form). */
    public static Optional<RateLimit> of(HttpHeaders headers) {
        Optional<Matcher> limit = headers.firstValue("RateLimit-Limit").map(VALUE::matcher).filter(Matcher::matches);
        Optional<Matcher> remaining = headers.firstValue("RateLimit-Remaining").map(VALUE::matcher).filter(Matcher::matches);
        if (limit.isEmpty() || remaining.isEmpty()) {
            return Optional.empty();
        }
        try {
            String seconds = limit.get().group(2) != null ? limit.get().group(2) : remaining.get().group(2);
            return Optional.of(new RateLimit(Integer.parseInt(limit.get().group(1)), Integer.parseInt(remaining.get().group(1)),
                    seconds == null ? Duration.ZERO : Duration.ofSeconds(Long.parseLong(seconds))));
        } catch (NumberFormatException tooLarge) {
            return Optional.empty();
        }
    }

    /** {@code 76 of 100 pulls left in its 6 h window}. */
    public String describe() {
        return remaining + " of " + limit + " pulls left" + (window.isZero() ? "" : " in its " + windowText() + " window");
    }

    /** {@code 6 h}, {@code 30 min}, {@code 45 s}. */
    public String windowText() {
        long seconds = window.toSeconds();
        if (seconds % 3600 == 0 && seconds > 0) {
            return seconds / 3600 + " h";
        }
        return seconds % 60 == 0 && seconds > 0 ? seconds / 60 + " min" : seconds + " s";
    }
}
