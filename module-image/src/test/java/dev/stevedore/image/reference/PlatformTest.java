package dev.stevedore.image.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PlatformTest {

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource({
            "linux/amd64,     linux/amd64,     true",
            "linux/arm64,     linux/arm64/v8,  true",
            "linux/arm64/v8,  linux/arm64,     true",
            "linux/arm,       linux/arm/v7,    true",
            "linux/arm/v6,    linux/arm/v7,    false",
            "linux/amd64,     linux/arm64,     false",
            "LINUX/AMD64,     linux/amd64,     true",
            "windows/amd64,   linux/amd64,     false",
    })
    void platformsMatchWithDefaultVariants(String wanted, String candidate, boolean matches) {
        assertEquals(matches, Platform.parse(wanted).matches(Platform.parse(candidate)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "linux", "linux/", "/amd64", "linux/amd64/v8/x", "linux/am d64", "linux/amd64/"})
    void malformedPlatformsAreRejected(String text) {
        assertThrows(InvalidReferenceException.class, () -> Platform.parse(text));
    }

    @Test
    void aPlatformPrintsAsItIsWritten() {
        assertEquals("linux/arm64/v8", Platform.parse("linux/arm64/v8").toString());
        assertEquals("linux/amd64", Platform.parse("linux/amd64").toString());
        assertFalse(Platform.parse("linux/amd64").matches(Platform.parse("linux/amd64/v2")));
        assertTrue(Platform.parse("linux/amd64/v2").matches(Platform.parse("linux/amd64/v2")));
    }
}
