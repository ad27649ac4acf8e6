package dev.stevedore.image.store.archive;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes one member as one zstd frame (RFC 8878), compressed or stored as its first bytes decide. A gzip or
 * zstd layer (what registries serve) does not compress again: zstd at its default level saves about 0.35 % of
 * one, for some 2 seconds of CPU per gigabyte. So the first {@value #SAMPLE} bytes are compressed on trial,
 * and when that saves less than {@code 1 / }{@value #WORTH_IT} of them, the member is stored in raw blocks,
 * which any decoder reads and which cost a copy; otherwise it is compressed at {@value #LEVEL}, with the
 * frame's content checksum. {@link #close} ends the frame and closes {@code out}.
 */
final class MemberFrameOutput extends OutputStream {

    /** zstd's default level: within a few percent of its best ratio on tar headers and manifests, and fast. */
    static final int LEVEL = 3;
    private static final int SAMPLE = 64 * 1024;
    private static final int WORTH_IT = 32; // saves 1/32 (3 %) of the sample, or the member is stored
    private static final int MAGIC = 0xFD2FB528;
    private static final int MAX_BLOCK = 128 * 1024;

    private final OutputStream out;
    private byte[] sample = new byte[SAMPLE];
    private int sampled;
    private OutputStream frame; // null until chosen
    private boolean closed;

    MemberFrameOutput(OutputStream out) {
        this.out = out;
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
    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (frame == null) {
            int taken = Math.min(length, SAMPLE - sampled);
            System.arraycopy(bytes, offset, sample, sampled, taken);
            sampled += taken;
            if (sampled < SAMPLE) {
                return;
            }
            choose();
            offset += taken;
            length -= taken;
        }
        if (length > 0) {
            frame.write(bytes, offset, length);
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (frame == null) {
                choose();
            }
        } finally {
            if (frame != null) {
                frame.close();
            } else {
                out.close();
            }
        }
    }

    private void choose() throws IOException {
        byte[] trial = new byte[(int) Zstd.compressBound(sampled)];
        long size = Zstd.compressByteArray(trial, 0, trial.length, sample, 0, sampled, LEVEL);
        if (Zstd.isError(size)) {
            throw new IOException("zstd could not compress a member's first bytes: " + Zstd.getErrorName(size));
        }
        boolean worthIt = sampled - size >= sampled / WORTH_IT && sampled > 0;
        frame = worthIt ? new ZstdOutputStreamNoFinalizer(out, LEVEL).setChecksum(true) : new RawBlocks(out);
        frame.write(sample, 0, sampled);
        sample = null;
    }

    /** A frame of raw blocks: the magic, a header with a 128 KiB window and no checksum, blocks of at most 128 KiB. */
    private static final class RawBlocks extends OutputStream {

        private final OutputStream out;

        RawBlocks(OutputStream out) throws IOException {
            this.out = out;
            // Frame_Header_Descriptor 0: no content size, not single-segment, no checksum, no dictionary. The window
            // descriptor 0x38 (exponent 7, mantissa 0) is 2^17 bytes: the largest block, and all a decoder keeps.
            out.write(new byte[] {(byte) MAGIC, (byte) (MAGIC >>> 8), (byte) (MAGIC >>> 16), (byte) (MAGIC >>> 24), 0, 0x38});
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            for (int at = offset, end = offset + length; at < end; ) {
                int block = Math.min(MAX_BLOCK, end - at);
                header(false, block);
                out.write(bytes, at, block);
                at += block;
            }
        }

        /** Ends the frame with an empty last block, as zstd itself ends an empty input. */
        @Override
        public void close() throws IOException {
            header(true, 0);
            out.close();
        }

        // Block_Header (3 bytes, little-endian): bit 0 Last_Block, bits 1-2 Block_Type (0, raw), bits 3-23 Block_Size.
        private void header(boolean last, int size) throws IOException {
            int header = (last ? 1 : 0) | size << 3;
            out.write(new byte[] {(byte) header, (byte) (header >>> 8), (byte) (header >>> 16)});
        }
    }
}
