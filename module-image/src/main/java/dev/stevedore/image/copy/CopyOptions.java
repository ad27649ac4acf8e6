package dev.stevedore.image.copy;

import java.util.Objects;

/**
 * How a copy runs, whatever it copies.
 *
 * @param foreignLayers whether layers with {@code urls} that the source lacks are fetched from those URLs
 * @param concurrency   transfers in flight at once, across images and blobs
 * @param referrers     whether what refers to each copied manifest (signatures, SBOMs, attestations) is copied too
 */
public record CopyOptions(ForeignLayers foreignLayers, int concurrency, boolean referrers) {

    public CopyOptions {
        Objects.requireNonNull(foreignLayers, "foreignLayers");
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be positive, got " + concurrency);
        }
    }
}
