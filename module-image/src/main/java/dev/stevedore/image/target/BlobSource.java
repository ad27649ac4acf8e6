package dev.stevedore.image.target;

import java.io.IOException;
import java.io.InputStream;

/**
 * Content of one blob that can be read again: each {@link #open()} returns a new stream of the whole blob.
 * A destination whose write can fail for reasons unrelated to the content (an upload cut by a connection
 * reset, a 5xx, a registry restart) starts over from a fresh stream instead of failing; a store that kept
 * the first part of an earlier, cut download asks for the rest with {@link #openFrom(long)}.
 */
@FunctionalInterface
public interface BlobSource {

    /** A new stream of the whole blob; the caller closes it. */
    InputStream open() throws IOException;

    /**
     * A new stream of the blob from byte {@code offset} on; the caller closes it. The default reads and
     * discards the bytes before it; a source that can seek (a registry, with {@code Range}) does better.
     */
    default InputStream openFrom(long offset) throws IOException {
        InputStream in = open();
        try {
            in.skipNBytes(offset);
            return in;
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }
}
