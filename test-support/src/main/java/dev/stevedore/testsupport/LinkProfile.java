package dev.stevedore.testsupport;

import java.time.Duration;

/**
 * The link a {@link LinkSimulator} models: its round-trip time, split evenly between the two directions,
 * and the rate of each direction, which every connection through the link shares.
 *
 * @param roundTrip     the time a byte takes there and back on an idle link, beyond its own transmission
 * @param bitsPerSecond what one direction carries, for all connections together
 */
public record LinkProfile(Duration roundTrip, long bitsPerSecond) {
    public LinkProfile {
        if (roundTrip.isNegative()) {
            throw new IllegalArgumentException("a round trip cannot be negative: " + roundTrip);
        }
        if (bitsPerSecond < 8) {
            throw new IllegalArgumentException("a link carries at least a byte per second: " + bitsPerSecond + " bit/s");
        }
    }

    /** A link of {@code roundTripMillis} ms round trip and {@code megabitsPerSecond} Mbit/s each way. */
    public static LinkProfile of(long roundTripMillis, long megabitsPerSecond) {
        return new LinkProfile(Duration.ofMillis(roundTripMillis), megabitsPerSecond * 1_000_000);
    }

    /** Bytes one direction carries per second. */
    public long bytesPerSecond() {
        return bitsPerSecond / 8;
    }

    /** The delay of one direction: half the round trip. */
    public Duration oneWay() {
        return roundTrip.dividedBy(2);
    }

    /** The time {@code bytes} take to pass the link one way at its rate, delay not counted. */
    public Duration transmission(long bytes) {
        return Duration.ofNanos(Math.multiplyExact(bytes, 1_000_000_000L) / bytesPerSecond());
    }

    @Override
    public String toString() {
        return roundTrip.toMillis() + " ms round trip, " + bitsPerSecond / 1_000_000.0 + " Mbit/s each way";
    }
}
