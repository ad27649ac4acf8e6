package dev.stevedore.image.target;

import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.reference.ImageReference;
import java.io.IOException;
import java.io.InputStream;

/**
 * Where a foreign or non-distributable layer (one whose descriptor lists {@code urls}) is read when the
 * image's source does not hold it: the addresses the descriptor lists. Used only when a task asks for
 * such layers ({@code foreign_layers: include}). Thread-safe; close it when the task ends.
 */
public interface ForeignLayerSource extends AutoCloseable {

    /**
     * A stream of the whole layer from the first of its URLs that serves it. The stream is not verified:
     * the destination hashes what it writes, as for every blob.
     *
     * @param image names the image in messages
     */
    InputStream open(ImageReference image, Descriptor layer) throws IOException;

    @Override
    default void close() {
    }
}
