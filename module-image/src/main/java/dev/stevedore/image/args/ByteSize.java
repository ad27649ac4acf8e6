package dev.stevedore.image.args;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A size in bytes as an operator writes it: a whole number of bytes ({@code 5242880}), or a number with
 * a unit. IEC units are powers of 1024 ({@code KiB}, {@code MiB}, {@code GiB}, also written {@code Ki},
 * {@code Mi}, {@code Gi}); SI units powers of 1000 ({@code kB}, {@code MB}, {@code GB}); a bare
 * {@code K}, {@code M} or {@code G} is read as its IEC unit, as {@code dd}, nginx and the JVM read it.
 * Units are case-insensitive; a fraction is allowed when the result is a whole number of bytes
 * ({@code 1.5MiB}).
 *
 * @param bytes at least 1
 */
public record ByteSize(long bytes) {

    private static final Pattern TEXT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([a-z]*)");
    private static final Map<String, Long> UNITS = Map.ofEntries(
            Map.entry("", 1L), Map.entry("b", 1L),
            Map.entry("k", 1L << 10), Map.entry("ki", 1L << 10), Map.entry("kib", 1L << 10), Map.entry("kb", 1_000L),
            Map.entry("m", 1L << 20), Map.entry("mi", 1L << 20), Map.entry("mib", 1L << 20), Map.entry("mb", 1_000_000L),
            Map.entry("g", 1L << 30), Map.entry("gi", 1L << 30), Map.entry("gib", 1L << 30), Map.entry("gb", 1_000_000_000L));

    public ByteSize {
        if (bytes < 1) {
            throw new IllegalArgumentException("a size is at least 1 byte, got " + bytes);
        }
    }

    /**
     * @throws IllegalArgumentException saying what is wrong with {@code text}, in words for an error message
     */
    public static ByteSize parse(String text) {
        Matcher matcher = TEXT.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size: write a number of bytes, or a number with a unit"
                    + " such as 512KiB, 5MiB, 5M or 1GB");
        }
        Long unit = UNITS.get(matcher.group(2));
        if (unit == null) {
            throw new IllegalArgumentException("'" + text + "' has an unknown unit '" + matcher.group(2)
                    + "': use B, KiB, MiB, GiB (powers of 1024; K, M, G mean the same) or kB, MB, GB (powers of 1000)");
        }
        java.math.BigDecimal bytes = new java.math.BigDecimal(matcher.group(1)).multiply(java.math.BigDecimal.valueOf(unit));
        if (bytes.signum() <= 0 || bytes.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException("'" + text + "' is not a whole, positive number of bytes");
        }
        try {
            return new ByteSize(bytes.longValueExact());
        } catch (ArithmeticException tooLarge) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
    }
}
