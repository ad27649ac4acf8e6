package dev.stevedore.image.oci;

import dev.stevedore.image.reference.Digest;
import java.util.Map;
import java.util.Objects;

/**
 * One entry of a referrers list (distribution-spec 1.1, "Listing Referrers"): the descriptor of a manifest
 * whose {@code subject} names another, with the {@code artifactType} and {@code annotations} the spec
 * copies into it so that clients can filter without fetching.
 *
 * @param artifactType the manifest's {@code artifactType}, else its config's media type; empty when it has neither
 * @param annotations  the manifest's top-level annotations; never null, immutable
 */
public record Referrer(String mediaType, Digest digest, long size, String artifactType, Map<String, String> annotations) {

    public Referrer {
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(digest, "digest");
        artifactType = artifactType == null ? "" : artifactType;
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    /** The entry a registry lists for this manifest, derived as the spec says. */
    public static Referrer of(Manifest manifest) {
        return ReferrersIndex.entryOf(manifest);
    }

    public Descriptor descriptor() {
        return new Descriptor(mediaType, digest, size);
    }
}
