package dev.stevedore.image.store.archive;

import java.io.IOException;
import java.io.InputStream;

/**
 * A stream of a member's bytes that knows how many are left: the one place for what every such stream of the
 * archive does alike (a one-byte read, an empty read, the end once nothing is left, a read cut to what is left).
 * What is read, and how its failures read, is each subclass's own.
 */
abstract class BoundedInputStream extends InputStream {

    /** How many bytes are left to read. */
    protected abstract long remaining();

    /** Reads at least one and at most {@code count} bytes, {@code count} being at least 1 and at most {@link #remaining}. */
    protected abstract int readWithin(byte[] buffer, int offset, int count) throws IOException;

    @Override
    public final int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public final int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        long remaining = remaining();
        if (remaining <= 0) {
            return -1;
        }
        return readWithin(buffer, offset, (int) Math.min(length, remaining));
    }
}
