package dev.stevedore.spi;

import java.util.Locale;

/**
 * Formats byte counts the way operators read them: {@code 512 B}, {@code 3.4 MiB}. In the SPI so that a
 * module's summaries and the engine's progress lines write sizes alike.
 */
public final class Bytes {

    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB"};

    private Bytes() {
    }

    /** {@code bytes} in the largest binary unit that keeps the number at least 1, with one decimal. */
    public static String format(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
    }
}
