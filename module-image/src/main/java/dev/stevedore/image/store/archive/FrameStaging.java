package dev.stevedore.image.store.archive;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * One compressed frame on its way into a {@code .tar.zst}: its length is known only once it is complete, and the
 * archive is appended to by one writer at a time, so each writer stages its frame first. A small frame stays in
 * memory; one that grows beyond {@code inMemory} bytes goes on in a file beside the archive, which
 * {@link #discard} deletes. Not thread-safe: one writer owns it.
 */
final class FrameStaging extends OutputStream {

    private static final int COPY_CHUNK = 256 * 1024;

    private final Path spill;
    private final int inMemory;
    private byte[] buffer;
    private int count;
    private FileChannel channel;
    private long size;

    /**
     * A frame of about {@code expected} bytes: one that will not fit in {@code inMemory} goes to the file from the
     * start, so that a large layer's bytes are not first gathered, and thrown away, in growing arrays.
     */
    FrameStaging(Path spill, int inMemory, long expected) throws IOException {
        this.spill = spill;
        this.inMemory = inMemory;
        if (expected > inMemory) {
            openSpill();
        } else {
            buffer = new byte[(int) Math.max(1024, expected)];
        }
    }

    /** The bytes staged so far. */
    long size() {
        return size;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (channel == null && count + length <= inMemory) {
            if (count + length > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.min(inMemory, Math.max(count + length, buffer.length * 2)));
            }
            System.arraycopy(bytes, offset, buffer, count, length);
            count += length;
        } else {
            if (channel == null) {
                openSpill();
                writeFully(ByteBuffer.wrap(buffer, 0, count));
                buffer = null;
            }
            writeFully(ByteBuffer.wrap(bytes, offset, length));
        }
        size += length;
    }

    /** Closing the compressor that writes here closes this too; the bytes stay until {@link #discard}. */
    @Override
    public void close() {
    }

    /** Writes every staged byte into {@code file} from {@code at} on. */
    void copyTo(SplitFile file, long at) throws IOException {
        if (channel == null) {
            file.write(ByteBuffer.wrap(buffer, 0, count), at);
            return;
        }
        ByteBuffer chunk = ByteBuffer.allocate(COPY_CHUNK);
        for (long copied = 0; copied < size; ) {
            chunk.clear();
            int n = channel.read(chunk, copied);
            if (n < 0) {
                throw new IOException("the staged frame " + spill + " ends at " + copied + " of its " + size + " bytes");
            }
            chunk.flip();
            file.write(chunk, at + copied);
            copied += n;
        }
    }

    /** Frees the memory and deletes the file, if there is one. */
    void discard() throws IOException {
        buffer = null;
        if (channel != null) {
            channel.close();
            Files.deleteIfExists(spill);
        }
    }

    private void openSpill() throws IOException {
        // A new file, never one that is there (a link placed there would send the bytes elsewhere).
        channel = FileChannel.open(spill, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    private void writeFully(ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }
}
