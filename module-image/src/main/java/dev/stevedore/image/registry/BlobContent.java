package dev.stevedore.image.registry;

import dev.stevedore.image.target.BlobSource;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.net.http.HttpRequest;

/**
 * The bytes of a blob to upload, with their length known up front so every request carries a
 * {@code Content-Length}. From a file the content can be sent again (an upload retried from the
 * start) and is sent by the JDK straight from the file; from a stream it is sent once.
 */
public interface BlobContent {

    /** The whole content as a request body; for a stream, callable once. */
    HttpRequest.BodyPublisher publisher();

    /** {@code length} bytes from {@code start}; slices of a stream must be asked for in order. */
    HttpRequest.BodyPublisher slice(long start, long length);

    /** Whether {@link #publisher()} may be called again after a failed attempt. */
    boolean repeatable();

    static BlobContent of(Path file) {
        return new BlobContent() {
            @Override
            public HttpRequest.BodyPublisher publisher() {
                try {
                    return HttpRequest.BodyPublishers.ofFile(file);
                } catch (java.io.FileNotFoundException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public HttpRequest.BodyPublisher slice(long start, long length) {
                return HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> {
                    try {
                        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ).position(start);
                        return new Bounded(Channels.newInputStream(channel), length, true);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }), length);
            }

            @Override
            public boolean repeatable() {
                return true;
            }
        };
    }

    /**
     * Content of exactly {@code size} bytes that {@code source} opens afresh for every attempt (a file in
     * an images directory, a blob of another registry): repeatable, so a failed upload starts over.
     */
    static BlobContent of(BlobSource source, long size) {
        return new BlobContent() {
            @Override
            public HttpRequest.BodyPublisher publisher() {
                return slice(0, size);
            }

            @Override
            public HttpRequest.BodyPublisher slice(long start, long length) {
                return HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> {
                    try {
                        InputStream in = source.open();
                        in.skipNBytes(start);
                        return new Bounded(in, length, true);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }), length);
            }

            @Override
            public boolean repeatable() {
                return true;
            }
        };
    }

    /** A stream of exactly {@code size} bytes; the caller closes it. */
    static BlobContent of(InputStream stream, long size) {
        return new BlobContent() {
            @Override
            public HttpRequest.BodyPublisher publisher() {
                return slice(0, size);
            }

            @Override
            public HttpRequest.BodyPublisher slice(long start, long length) {
                return HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> new Bounded(stream, length, false)), length);
            }

            @Override
            public boolean repeatable() {
                return false;
            }
        };
    }

    /** At most {@code remaining} bytes of another stream, closing it only when told to. */
    final class Bounded extends FilterInputStream {
        private long remaining;
        private final boolean closeUnderlying;

        Bounded(InputStream in, long remaining, boolean closeUnderlying) {
            super(in);
            this.remaining = remaining;
            this.closeUnderlying = closeUnderlying;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(buffer, offset, (int) Math.min(length, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            if (closeUnderlying) {
                in.close();
            }
        }
    }
}
