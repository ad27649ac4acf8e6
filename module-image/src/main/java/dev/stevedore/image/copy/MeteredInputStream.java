package dev.stevedore.image.copy;

import dev.stevedore.image.progress.ImageProgress;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A blob stream that reports progress and stops with an {@link InterruptedIOException} as soon as the run
 * is cancelled, so the destination's atomic write abandons its temporary file instead of finishing it.
 */
final class MeteredInputStream extends FilterInputStream {

    private final CancellationCheck cancellation;
    private final ImageProgress progress;
    private final AtomicLong reported;
    private long position;

    /**
     * @param start    the blob offset {@code in} starts at (0, or where a cut download is continued)
     * @param reported bytes of this blob already reported by earlier streams of it (an upload retried from
     *                 the start reads them again); only bytes past that mark count as progress
     */
    MeteredInputStream(InputStream in, long start, CancellationCheck cancellation, ImageProgress progress, AtomicLong reported) {
        super(in);
        this.position = start;
        this.cancellation = cancellation;
        this.progress = progress;
        this.reported = reported;
    }

    @Override
    public int read() throws IOException {
        cancellation.throwIfCancelled();
        int b = super.read();
        if (b >= 0) {
            advance(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        cancellation.throwIfCancelled();
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            advance(n);
        }
        return n;
    }

    private void advance(int n) {
        position += n;
        long before = reported.getAndAccumulate(position, Math::max);
        if (position > before) {
            progress.transferred(position - before);
        }
    }
}
