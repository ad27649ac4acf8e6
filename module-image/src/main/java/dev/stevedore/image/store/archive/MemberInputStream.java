package dev.stevedore.image.store.archive;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The content of one member, read with positional reads from the archive (no extraction, no shared
 * file position, so many streams read the same archive at once).
 */
final class MemberInputStream extends BoundedInputStream {

    private final SplitFile file;
    private final long end;
    private final String what;
    private long position;

    MemberInputStream(SplitFile file, long from, long end, String what) {
        this.file = file;
        this.position = from;
        this.end = end;
        this.what = what;
    }

    @Override
    protected long remaining() {
        return end - position;
    }

    @Override
    protected int readWithin(byte[] buffer, int offset, int count) throws IOException {
        int n = file.read(ByteBuffer.wrap(buffer, offset, count), position);
        if (n < 0) {
            throw new java.io.EOFException(what + " ends " + (end - position) + " bytes early: the archive was cut");
        }
        position += n;
        return n;
    }

    @Override
    public long skip(long n) {
        long skipped = Math.max(0, Math.min(n, end - position));
        position += skipped;
        return skipped;
    }

    @Override
    public int available() {
        return (int) Math.min(Integer.MAX_VALUE, end - position);
    }
}
