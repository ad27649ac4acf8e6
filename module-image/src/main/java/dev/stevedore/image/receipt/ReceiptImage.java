package dev.stevedore.image.receipt;

import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.ImageReference;
import java.util.Objects;
import java.util.Set;

/**
 * One image a receipt names, as the far side holds it.
 *
 * @param name      the image, {@code registry/repository:tag} or {@code registry/repository@sha256:...}
 * @param digest    the digest its name points at: its manifest or index
 * @param manifests that digest and every child manifest or index below it
 * @param blobs     every config and layer of those manifests that the far side holds
 *                  (both sets are kept sorted, so that two receipts of one state are equal files)
 */
public record ReceiptImage(ImageReference name, Digest digest, Set<Digest> manifests, Set<Digest> blobs) {

    public ReceiptImage {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(digest, "digest");
        manifests = Digests.sorted(manifests);
        blobs = Digests.sorted(blobs);
    }

    /** The repository path without the registry, {@code library/nginx}. */
    public String repository() {
        return name.repository();
    }
}
