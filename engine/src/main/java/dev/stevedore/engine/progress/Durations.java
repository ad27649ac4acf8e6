package dev.stevedore.engine.progress;

import java.util.Locale;

/** Formats a remaining time the way a progress line shows it: {@code 42s}, {@code 3m07s}, {@code 1h04m}. */
final class Durations {

    private Durations() {
    }

    static String format(long seconds) {
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds % 3600 / 60);
    }
}
