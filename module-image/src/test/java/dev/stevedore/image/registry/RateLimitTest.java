package dev.stevedore.image.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RateLimitTest {

    private static HttpHeaders headers(Map<String, String> values) {
        Map<String, List<String>> map = new java.util.HashMap<>();
        values.forEach((name, value) -> map.put(name, List.of(value)));
        return HttpHeaders.of(map, (name, value) -> true);
    }

    @Test
    void dockerHubsHeadersAreRead() {
        assertEquals(Optional.of(new RateLimit(100, 76, Duration.ofHours(6))),
                RateLimit.of(headers(Map.of("ratelimit-limit", "100;w=21600", "ratelimit-remaining", "76;w=21600"))));
        assertEquals("76 of 100 pulls left in its 6 h window", new RateLimit(100, 76, Duration.ofHours(6)).describe());
    }

    @Test
    void spacesAndAMissingWindowAreAccepted() {
        assertEquals(Optional.of(new RateLimit(200, 0, Duration.ZERO)),
                RateLimit.of(headers(Map.of("RateLimit-Limit", " 200", "RateLimit-Remaining", "0"))));
        assertEquals("0 of 200 pulls left", new RateLimit(200, 0, Duration.ZERO).describe());
        assertEquals(Optional.of(new RateLimit(10, 9, Duration.ofMinutes(30))),
                RateLimit.of(headers(Map.of("RateLimit-Limit", "10 ; w=1800", "RateLimit-Remaining", "9"))));
    }

    @Test
    void withoutBothHeadersOrWithGarbageThereIsNoBudget() {
        assertEquals(Optional.empty(), RateLimit.of(headers(Map.of("RateLimit-Remaining", "76;w=21600"))));
        assertEquals(Optional.empty(), RateLimit.of(headers(Map.of("RateLimit-Limit", "many", "RateLimit-Remaining", "76"))));
        assertEquals(Optional.empty(), RateLimit.of(headers(Map.of("RateLimit-Limit", "99999999999", "RateLimit-Remaining", "1"))));
        assertEquals(Optional.empty(), RateLimit.of(headers(Map.of())));
    }
}
