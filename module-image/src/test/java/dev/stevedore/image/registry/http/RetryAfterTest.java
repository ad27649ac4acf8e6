package dev.stevedore.image.registry.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

    final Clock clock = Clock.fixed(Instant.parse("2026-11-28T12:00:00Z"), ZoneOffset.UTC);

    @Test
    void delaySecondsAreReadAsSeconds() {
        assertEquals(Duration.ofSeconds(7), RetryAfter.parse("7", clock).orElseThrow());
        assertEquals(Duration.ZERO, RetryAfter.parse(" 0 ", clock).orElseThrow());
    }

    @Test
    void anHttpDateIsTheWaitUntilThatMoment() {
        assertEquals(Duration.ofSeconds(90), RetryAfter.parse("Sat, 28 Nov 2026 12:01:30 GMT", clock).orElseThrow());
    }

    @Test
    void aDateInThePastMeansNoWait() {
        assertEquals(Duration.ZERO, RetryAfter.parse("Sat, 28 Nov 2026 11:00:00 GMT", clock).orElseThrow());
    }

    @Test
    void absentOrUnreadableValuesGiveNothing() {
        assertTrue(RetryAfter.parse(null, clock).isEmpty());
        assertTrue(RetryAfter.parse("soon", clock).isEmpty());
        assertTrue(RetryAfter.parse("-5", clock).isEmpty());
        assertTrue(RetryAfter.parse("99999999999999999999999", clock).isEmpty());
    }
}
