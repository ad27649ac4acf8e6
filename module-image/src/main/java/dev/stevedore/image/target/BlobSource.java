package dev.stevedore.image.target;

import java.io.IOException;
import java.io.InputStream;

/**
 * Content of one blob that can be read again from its start: each {@link #open()} returns a new stream of
 * the whole blob. A destination whose write can fail for reasons unrelated to the content (an upload cut
 * by a connection reset, a 5xx, a registry restart) starts over from a fresh stream instead of failing.
 */
@FunctionalInterface
public interface BlobSource {

    /** A new stream of the whole blob; the caller closes it. */
    InputStream open() throws IOException;
}
