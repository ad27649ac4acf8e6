package dev.stevedore.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LibtrustKeyIdTest {
    @Test
    void base32MatchesTheRfc4648TestVectorsWithoutPadding() {
        assertEquals("", LibtrustKeyId.base32(bytes("")));
        assertEquals("MY", LibtrustKeyId.base32(bytes("f")));
        assertEquals("MZXQ", LibtrustKeyId.base32(bytes("fo")));
        assertEquals("MZXW6", LibtrustKeyId.base32(bytes("foo")));
        assertEquals("MZXW6YQ", LibtrustKeyId.base32(bytes("foob")));
        assertEquals("MZXW6YTB", LibtrustKeyId.base32(bytes("fooba")));
        assertEquals("MZXW6YTBOI", LibtrustKeyId.base32(bytes("foobar")));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
