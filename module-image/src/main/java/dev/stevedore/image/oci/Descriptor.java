package dev.stevedore.image.oci;

import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.Platform;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An OCI content descriptor: what a manifest says about a blob or a child manifest.
 *
 * @param platform    the platform of an index entry, or {@code null}
 * @param annotations never null, immutable
 * @param urls        where else the blob can be downloaded (foreign and non-distributable layers); never null, immutable
 */
public record Descriptor(String mediaType, Digest digest, long size, Platform platform, Map<String, String> annotations,
                         List<String> urls) {

    public Descriptor {
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(digest, "digest");
        if (size < 0) {
            throw new IllegalArgumentException("negative size " + size + " for " + digest);
        }
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        urls = urls == null ? List.of() : List.copyOf(urls);
    }

    public Descriptor(String mediaType, Digest digest, long size, Platform platform, Map<String, String> annotations) {
        this(mediaType, digest, size, platform, annotations, List.of());
    }

    public Descriptor(String mediaType, Digest digest, long size) {
        this(mediaType, digest, size, null, Map.of(), List.of());
    }

    /**
     * A layer that lists {@code urls}: a Windows base layer or an OCI non-distributable layer, which
     * registries usually do not hold and clients download from those addresses.
     */
    public boolean isForeign() {
        return !urls.isEmpty();
    }

    /** The descriptor of a manifest held in memory. */
    public static Descriptor of(Manifest manifest) {
        return new Descriptor(manifest.mediaType(), manifest.digest(), manifest.bytes().length);
    }
}
