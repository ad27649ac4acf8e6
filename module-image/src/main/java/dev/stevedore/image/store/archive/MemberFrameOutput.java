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
 * which any decoder reads and which cost a copy ({@link StoredFrame}); otherwise it is compressed at
 * {@value #LEVEL}, with the frame's content checksum. A stored frame's length follows from the member's, so its
 * {@link Destination} can be a region of that size; a compressed frame's is known only at its end. {@link #close}
 * ends the frame and closes the stream it went to.
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

    private final long length;
    private final Destination destination;
    private byte[] sample = new byte[SAMPLE];
    private int sampled;
    private OutputStream frame; // null until chosen
    private boolean stored;
    private boolean closed;

    /** A member of exactly {@code length} bytes. */
    MemberFrameOutput(long length, Destination destination) {
        this.length = length;
        this.destination = destination;
    }

    /** Whether the member was stored in raw blocks; known once {@link #close} has run or {@value #SAMPLE} bytes came. */
    boolean stored() {
        return stored;
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
        stored = sampled == 0 || sampled - size < sampled / WORTH_IT;
        frame = stored ? StoredFrame.writer(destination.stored(StoredFrame.length(length)), length)
                : new ZstdOutputStreamNoFinalizer(destination.compressed(), LEVEL).setChecksum(true);
        frame.write(sample, 0, sampled);
        sample = null;
    }
}
