package dev.stevedore.image.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class RequestThrottleTest {

    private static List<RequestThrottle.Permit> acquire(RequestThrottle throttle, int n) throws Exception {
        List<RequestThrottle.Permit> permits = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            permits.add(throttle.acquire());
        }
        return permits;
    }

    @Test
    void unboundedUntilA429ThenHalfOfWhatWasInFlight() throws Exception {
        RequestThrottle throttle = new RequestThrottle();
        List<RequestThrottle.Permit> eight = acquire(throttle, 8);
        assertEquals(Integer.MAX_VALUE, throttle.limit());
        throttle.release();
        assertEquals(OptionalInt.of(4), throttle.rateLimited(eight.get(0)), "7 still in flight and the refused one: 8 / 2");
    }

    @Test
    void refusalsOfRequestsSentBeforeTheLastHalvingAreTheSameOverload() throws Exception {
        RequestThrottle throttle = new RequestThrottle();
        List<RequestThrottle.Permit> eight = acquire(throttle, 8);
        for (int i = 0; i < 8; i++) {
            throttle.release();
        }
        assertEquals(OptionalInt.of(1), throttle.rateLimited(eight.get(0)), "none in flight but the refused one");
        for (int i = 1; i < 8; i++) {
            assertTrue(throttle.rateLimited(eight.get(i)).isEmpty(), "sent before the halving");
        }
        assertEquals(1, throttle.limit());
    }

    @Test
    void eachRefusalUnderTheNewBoundHalvesItAgainDownToOne() throws Exception {
        RequestThrottle throttle = new RequestThrottle();
        List<RequestThrottle.Permit> first = acquire(throttle, 8);
        assertEquals(OptionalInt.of(4), throttle.rateLimited(first.get(7)));
        for (int i = 0; i < 8; i++) {
            throttle.release();
        }
        List<RequestThrottle.Permit> second = acquire(throttle, 4);
        assertEquals(OptionalInt.of(2), throttle.rateLimited(second.get(0)));
        for (int i = 0; i < 4; i++) {
            throttle.release();
        }
        RequestThrottle.Permit third = throttle.acquire();
        throttle.release();
        assertEquals(OptionalInt.of(1), throttle.rateLimited(third));
        RequestThrottle.Permit fourth = throttle.acquire();
        throttle.release();
        assertTrue(throttle.rateLimited(fourth).isEmpty(), "one at a time is the floor");
    }
}
