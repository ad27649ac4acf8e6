package dev.stevedore.image.store.archive;

import java.io.OutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;

/** Writes forward from an offset of a {@link SplitFile}, through positional writes: an append at the end. */
final class SplitFileOutputStream extends OutputStream {

    private final SplitFile file;
    private long position;

    SplitFileOutputStream(SplitFile file, long from) {
        this.file = file;
        this.position = from;
    }

    /** Where the next byte goes. */
    long position() {
        return position;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        file.write(ByteBuffer.wrap(bytes, offset, length), position);
        position += length;
    }
}
