package dev.stevedore.image.store.archive;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes one member as one zstd frame (RFC 8878), compressed or stored as its first bytes decide. A gzip or
 * zstd layer (what registries serve) does not compress again: zstd at its default level saves about 0.35 % of
 * one, for about 1.7 s of CPU per gigabyte. So the first {@value #SAMPLE} bytes are compressed on trial,
 * and when that saves less than {@code 1 / }{@value #WORTH_IT} of them, the member is stored in raw blocks,
 * which any decoder reads and which cost a copy; otherwise it is compressed at {@value #LEVEL}, with the
 * frame's content checksum. A stored frame's length follows from the member's
 * ({@link #storedFrameLength}), so its {@link Destination} can be a region of that size; a compressed frame's is
 * known only at its end. {@link #close} ends the frame and closes the stream it went to.
 */
final class MemberFrameOutput extends OutputStream {

    /** Where the frame goes, once its kind is known. */
    interface Destination {
        /** The stream a stored frame of exactly {@code frameLength} bytes is written into, in order. */
        OutputStream stored(long frameLength) throws IOException;

        /** The stream a compressed frame is written into. */
        OutputStream compressed() throws IOException;
    }

    /** zstd's default level: within a few percent of its best ratio on tar headers and manifests, and fast. */
    static final int LEVEL = 3;
    private static final int SAMPLE = 64 * 1024;
    private static final int WORTH_IT = 32; // saves 1/32 (3 %) of the sample, or the member is stored
    private static final int MAGIC = 0xFD2FB528;
    private static final int FRAME_HEADER = 6;
    private static final int BLOCK_HEADER = 3;
    private static final int MAX_BLOCK = 128 * 1024;

    private final long length;
    private final Destination destination;
    private byte[] sample = new byte[SAMPLE];
    private int sampled;
    private OutputStream frame; // null until chosen
    private boolean closed;

    /** A member of exactly {@code length} bytes. */
    MemberFrameOutput(long length, Destination destination) {
        this.length = length;
        this.destination = destination;
    }

    /** The length of the stored frame of a member of {@code length} bytes: its header, and each block's. */
    static long storedFrameLength(long length) {
        long blocks = Math.max(1, (length + MAX_BLOCK - 1) / MAX_BLOCK);
        return FRAME_HEADER + blocks * BLOCK_HEADER + length;
    }

    /** Whether the member was stored in raw blocks; known once {@link #close} has run or {@value #SAMPLE} bytes came. */
    boolean stored() {
        return frame instanceof RawBlocks;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int count) throws IOException {
        if (frame == null) {
            int taken = Math.min(count, SAMPLE - sampled);
            System.arraycopy(bytes, offset, sample, sampled, taken);
            sampled += taken;
            if (sampled < SAMPLE) {
                return;
            }
            choose();
            offset += taken;
            count -= taken;
        }
        if (count > 0) {
            frame.write(bytes, offset, count);
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (frame == null) {
            choose();
        }
        frame.close();
    }

    private void choose() throws IOException {
        byte[] trial = new byte[(int) Zstd.compressBound(sampled)];
        long size = Zstd.compressByteArray(trial, 0, trial.length, sample, 0, sampled, LEVEL);
        if (Zstd.isError(size)) {
            throw new IOException("zstd could not compress a member's first bytes: " + Zstd.getErrorName(size));
        }
        boolean worthIt = sampled > 0 && sampled - size >= sampled / WORTH_IT;
        frame = worthIt ? new ZstdOutputStreamNoFinalizer(destination.compressed(), LEVEL).setChecksum(true)
                : new RawBlocks(destination.stored(storedFrameLength(length)), length);
        frame.write(sample, 0, sampled);
        sample = null;
    }

    /**
     * A frame of raw blocks: the magic, a header with a 128 KiB window and no checksum, then blocks of 128 KiB
     * each but the last, which is marked so: a fixed layout, {@link #storedFrameLength} long.
     */
    private static final class RawBlocks extends OutputStream {

        private final OutputStream out;
        private final long length;
        private long written;
        private long blockLeft;

        RawBlocks(OutputStream out, long length) throws IOException {
            this.out = out;
            this.length = length;
            // Frame_Header_Descriptor 0: no content size, not single-segment, no checksum, no dictionary. The window
            // descriptor 0x38 (exponent 7, mantissa 0) is 2^17 bytes: the largest block, and all a decoder keeps.
            out.write(new byte[] {(byte) MAGIC, (byte) (MAGIC >>> 8), (byte) (MAGIC >>> 16), (byte) (MAGIC >>> 24), 0, 0x38});
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
}
