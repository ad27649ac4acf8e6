package dev.stevedore.image.store.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import dev.stevedore.testsupport.Programs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One member as one zstd frame: a gzip layer is stored in raw blocks, in a frame exactly as long as computed before
 * it was written, text is compressed, and both, at every size around the trial's sample and the largest block,
 * decode to the bytes written, by zstd-jni and by the {@code zstd} program; a stored frame is also read in place,
 * from any offset, without a decoder.
 */
class MemberFrameOutputTest {

    @TempDir
    Path work;

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 511, 65_535, 65_536, 65_537, 131_072, 131_073, 700_001})
    void aGzipLayerIsStoredAndTextIsCompressedAndBothDecodeToTheirBytes(int size) throws Exception {
        Random random = new Random(size);
        byte[] gzip = gzip(random, size);
        byte[] text = text(random, size);
        for (byte[] content : new byte[][] {gzip, text}) {
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            long[] storedLength = {-1};
            MemberFrameOutput out = new MemberFrameOutput(content.length, new MemberFrameOutput.Destination() {
                @Override
                public OutputStream stored(long frameLength) {
                    storedLength[0] = frameLength;
                    return frame;
                }

                @Override
                public OutputStream compressed() {
                    return frame;
                }
            });
            // Written in uneven pieces, as a blob streams in.
            for (int at = 0; at < content.length; ) {
                int n = Math.min(content.length - at, 1 + random.nextInt(100_000));
                out.write(content, at, n);
                at += n;
            }
            out.close();
            byte[] bytes = frame.toByteArray();
            if (content == gzip && size > 0) {
                assertTrue(out.stored(), "a gzip layer of " + size + " bytes is stored");
                assertEquals(StoredFrame.length(size), bytes.length, "its length, known before it was written");
                assertEquals(storedLength[0], bytes.length, "the length the destination was told");
                assertEquals(6 + 3 * ((size + 131_071) / 131_072) + size, bytes.length, "the frame's header and one per 128 KiB block");
            }
            if (content == text && size >= 4096) {
                assertFalse(out.stored(), "text of " + size + " bytes is compressed");
                assertTrue(bytes.length < content.length / 2, bytes.length + " of " + content.length);
            }
            try (InputStream in = new ZstdInputStreamNoFinalizer(new ByteArrayInputStream(bytes))) {
                assertArrayEquals(content, in.readAllBytes(), "zstd-jni decodes it");
            }
            Path file = Files.write(work.resolve("member.zst"), bytes);
            Process zstd = new ProcessBuilder(Programs.require("zstd"), "-q", "-d", "-c", file.toString()).start();
            byte[] decoded = zstd.getInputStream().readAllBytes();
            assertTrue(zstd.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, zstd.exitValue(), new String(zstd.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            assertArrayEquals(content, decoded, "the zstd program decodes it");
            assertEquals(out.stored(), StoredFrame.isStored(java.util.Arrays.copyOf(bytes, StoredFrame.HEADER_LENGTH)),
                    "a stored frame is told from a compressed one by its header");
            if (out.stored()) {
                assertEquals(size, StoredFrame.memberLength(bytes.length), "the member's length, from the frame's");
                try (SplitFile split = SplitFile.open(file, 0)) {
                    for (long from : new long[] {0, size / 3, Math.max(0, size - 1), size}) {
                        try (InputStream in = StoredFrame.reader(split, 0, bytes.length, "member")) {
                            in.skipNBytes(from);
                            assertArrayEquals(java.util.Arrays.copyOfRange(content, (int) from, size), in.readAllBytes(),
                                    "read in place from " + from);
                        }
                    }
                }
            }
        }
    }

    private static byte[] text(Random random, int size) {
        StringBuilder out = new StringBuilder(size + 64);
        while (out.length() < size) {
            out.append("key").append(random.nextInt(500)).append(" = value ").append(random.nextInt(100)).append('\n');
        }
        return out.substring(0, size).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The first {@code size} bytes of a gzip stream, as a layer's bytes look: of random bytes, the one content gzip
     * makes no shorter, so that the stream is at least {@code size} long.
     */
    private static byte[] gzip(Random random, int size) throws IOException {
        byte[] content = new byte[size];
        random.nextBytes(content);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(content);
        }
        return java.util.Arrays.copyOf(out.toByteArray(), size);
    }
}
