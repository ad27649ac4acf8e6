package dev.stevedore.image.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BlobFilesTest {

    @Test
    void aBlobStreamsThroughABufferNoLargerThanItNeeds() {
        assertEquals(1, BlobFiles.chunkFor(0).length, "an empty blob: room for the byte that shows it is not");
        assertEquals(4097, BlobFiles.chunkFor(4096).length, "a small blob, and one byte to see an overlong stream");
        assertEquals(128 * 1024, BlobFiles.chunkFor(10L << 30).length, "a 10 GiB layer: the largest buffer");
        assertEquals(1, BlobFiles.chunkFor(-5).length, "nothing left");
    }
}
