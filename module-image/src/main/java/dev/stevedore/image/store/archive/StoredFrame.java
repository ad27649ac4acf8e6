package dev.stevedore.image.store.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * A member stored in a zstd frame as it is, in raw blocks (RFC 8878): the frame's 6-byte header, then blocks of
 * 128 KiB each but the last, each behind its 3-byte header. The layout is fixed, so a frame's length follows from
 * its member's and a member's byte lies at an offset computed from its own: such a frame is written in place
 * ({@link #writer}) and read in place ({@link #reader}) without a decoder. {@link MemberFrameOutput} decides which
 * members are stored; the others are compressed frames, which only a decoder reads.
 */
final class StoredFrame {

    /** Every zstd frame's magic number. */
    static final int ZSTD_MAGIC = 0xFD2FB528;
    // Frame_Header_Descriptor 0: no content size, not single-segment, no checksum, no dictionary. The window
    // descriptor 0x38 (exponent 7, mantissa 0) is 2^17 bytes: the largest block, and all a decoder keeps. A compressed
    // frame of this store carries a checksum, so its descriptor is never 0.
    private static final byte[] HEADER = {(byte) ZSTD_MAGIC, (byte) (ZSTD_MAGIC >>> 8), (byte) (ZSTD_MAGIC >>> 16),
            (byte) (ZSTD_MAGIC >>> 24), 0, 0x38};
    /** The bytes of a frame {@link #isStored} looks at. */
    static final int HEADER_LENGTH = HEADER.length;
    private static final int BLOCK_HEADER = 3;
    private static final int MAX_BLOCK = 128 * 1024;

    private StoredFrame() {
    }

    /** The length of the frame that stores a member of {@code memberLength} bytes. */
    static long length(long memberLength) {
        long blocks = Math.max(1, (memberLength + MAX_BLOCK - 1) / MAX_BLOCK);
        return HEADER_LENGTH + blocks * BLOCK_HEADER + memberLength;
    }

    /** The length of the member a frame of {@code frameLength} bytes stores: {@link #length} undone. */
    static long memberLength(long frameLength) {
        long blocks = Math.max(1, (frameLength - HEADER_LENGTH + MAX_BLOCK + BLOCK_HEADER - 1) / (MAX_BLOCK + BLOCK_HEADER));
        return frameLength - HEADER_LENGTH - blocks * BLOCK_HEADER;
    }

    /** Where the member's byte {@code offset} lies in the frame: after the frame's header and its block's. */
    static long offsetOf(long offset) {
        return HEADER_LENGTH + (offset / MAX_BLOCK + 1) * BLOCK_HEADER + offset;
    }

    /** Whether a frame that begins with {@code head} ({@link #HEADER_LENGTH} bytes) is a stored one. */
    static boolean isStored(byte[] head) {
        return Arrays.equals(head, HEADER);
    }

    /** Writes the frame of a member of exactly {@code memberLength} bytes into {@code out}, which closing it closes. */
    static OutputStream writer(OutputStream out, long memberLength) throws IOException {
        return new Writer(out, memberLength);
    }

    /**
     * The member's bytes, read where the frame at {@code frameAt} of {@code file} ({@code frameLength} long) holds
     * them; skipping costs nothing.
     */
    static InputStream reader(SplitFile file, long frameAt, long frameLength, String what) {
        return new Reader(file, frameAt, memberLength(frameLength), what);
    }

    private static final class Writer extends OutputStream {

        private final OutputStream out;
        private final long length;
        private long written;
        private long blockLeft;

        Writer(OutputStream out, long length) throws IOException {
            this.out = out;
            this.length = length;
            out.write(HEADER);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int count) throws IOException {
            if (written + count > length) {
                throw new IOException("a stored frame was given more than its member's " + length + " bytes");
            }
            for (int at = offset, end = offset + count; at < end; ) {
                if (blockLeft == 0) {
                    int block = (int) Math.min(MAX_BLOCK, length - written);
                    header(written + block == length, block);
                    blockLeft = block;
                }
                int n = (int) Math.min(blockLeft, end - at);
                out.write(bytes, at, n);
                at += n;
                written += n;
                blockLeft -= n;
            }
        }

        @Override
        public void close() throws IOException {
            if (written != length) {
                throw new IOException("a stored frame was given " + written + " of its member's " + length + " bytes");
            }
            if (length == 0) {
                header(true, 0); // as zstd itself ends an empty input
            }
            out.close();
        }

        // Block_Header (3 bytes, little-endian): bit 0 Last_Block, bits 1-2 Block_Type (0, raw), bits 3-23 Block_Size.
        private void header(boolean last, int size) throws IOException {
            int header = (last ? 1 : 0) | size << 3;
            out.write(new byte[] {(byte) header, (byte) (header >>> 8), (byte) (header >>> 16)});
        }
    }

    /** The member's bytes block by block, each run between two block headers read by positional reads. */
    private static final class Reader extends BoundedInputStream {

        private final SplitFile file;
        private final long frameAt;
        private final long length;
        private final String what;
        private long position;
        private InputStream run; // the rest of the current block's bytes, or null
        private long runEnd;

        Reader(SplitFile file, long frameAt, long length, String what) {
            this.file = file;
            this.frameAt = frameAt;
            this.length = length;
            this.what = what;
        }

        @Override
        protected long remaining() {
            return length - position;
        }

        @Override
        protected int readWithin(byte[] buffer, int offset, int count) throws IOException {
            if (run == null || position == runEnd) {
                runEnd = Math.min((position / MAX_BLOCK + 1) * MAX_BLOCK, length);
                long from = frameAt + offsetOf(position);
                run = new MemberInputStream(file, from, from + (runEnd - position), what);
            }
            int n = run.read(buffer, offset, (int) Math.min(count, runEnd - position));
            position += n;
            return n;
        }

        @Override
        public long skip(long n) {
            long skipped = Math.max(0, Math.min(n, length - position));
            position += skipped;
            run = null;
            return skipped;
        }
    }
}
