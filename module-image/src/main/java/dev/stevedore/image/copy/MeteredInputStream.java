package dev.stevedore.image.copy;

import dev.stevedore.image.progress.ImageProgress;
import dev.stevedore.spi.Cancellation;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;

/**
 * A blob stream that reports progress and stops with an {@link InterruptedIOException} as soon as the run
 * is cancelled, so the destination's atomic write abandons its temporary file instead of finishing it.
 */
final class MeteredInputStream extends FilterInputStream {

    private final Cancellation cancellation;
    private final ImageProgress progress;

    MeteredInputStream(InputStream in, Cancellation cancellation, ImageProgress progress) {
        super(in);
        this.cancellation = cancellation;
        this.progress = progress;
    }

    @Override
    public int read() throws IOException {
        checkCancelled();
        int b = super.read();
        if (b >= 0) {
            progress.transferred(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        checkCancelled();
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            progress.transferred(n);
        }
        return n;
    }

    private void checkCancelled() throws InterruptedIOException {
        if (cancellation.isCancelled() || Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException("the copy was cancelled");
        }
    }
}
