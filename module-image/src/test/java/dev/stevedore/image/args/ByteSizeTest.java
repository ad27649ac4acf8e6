package dev.stevedore.image.args;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteSizeTest {

    @ParameterizedTest(name = "{0} is {1} bytes")
    @CsvSource({
            "5242880, 5242880",
            "512B, 512",
            "64KiB, 65536",
            "64k, 65536",
            "5MiB, 5242880",
            "5Mi, 5242880",
            "5M, 5242880",
            "5 mib, 5242880",
            "1.5MiB, 1572864",
            "5MB, 5000000",
            "1GiB, 1073741824",
            "2GB, 2000000000",
    })
    void numbersAndUnitsAreRead(String text, long bytes) {
        assertEquals(bytes, ByteSize.parse(text).bytes());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "MiB", "-5MiB", "0", "0MiB", "5 megabytes", "1.3B", "1.0000001KiB", "five", "99999999999GiB"})
    void anythingElseIsRefusedSayingHowToWriteASize(String text) {
        String message = assertThrows(IllegalArgumentException.class, () -> ByteSize.parse(text)).getMessage();
        assertTrue(message.startsWith("'" + text + "'"), message);
    }

    @org.junit.jupiter.api.Test
    void anUnknownUnitNamesTheUnitsThatExist() {
        String message = assertThrows(IllegalArgumentException.class, () -> ByteSize.parse("5TB")).getMessage();
        assertEquals("'5TB' has an unknown unit 'tb': use B, KiB, MiB, GiB (powers of 1024; K, M, G mean the same)"
                + " or kB, MB, GB (powers of 1000)", message);
    }
}
