package dev.stevedore.image.store.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * The content of one member, read with positional reads from the archive (no extraction, no shared
 * file position, so many streams read the same archive at once).
 */
final class MemberInputStream extends InputStream {

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
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (position >= end) {
            return -1;
        }
        ByteBuffer target = ByteBuffer.wrap(buffer, offset, (int) Math.min(length, end - position));
        int n = file.read(target, position);
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
