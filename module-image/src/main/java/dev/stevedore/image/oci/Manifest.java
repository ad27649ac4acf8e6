package dev.stevedore.image.oci;

import dev.stevedore.image.reference.Digest;
import java.util.Arrays;
import java.util.Objects;

/**
 * A manifest or index exactly as stored or served: its bytes are what its digest covers, so they are
 * never re-serialized. Manifests are small (capped at {@link #MAX_SIZE}), so they live in memory.
 */
public record Manifest(String mediaType, Digest digest, byte[] bytes) {

    /** The largest manifest we accept, as the OCI distribution spec recommends registries do. */
    public static final int MAX_SIZE = 4 * 1024 * 1024;

    public Manifest {
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(bytes, "bytes");
    }

    /**
     * A manifest from its bytes; the digest is computed, the media type is the one given, else detected
     * from the document ({@link ManifestParser#detectMediaType}).
     */
    public static Manifest of(byte[] bytes, String mediaType) {
        String type = mediaType != null && !mediaType.isBlank() ? mediaType : ManifestParser.detectMediaType(bytes, null);
        return new Manifest(type, Digest.sha256Of(bytes), bytes.clone());
    }

    public boolean isIndex() {
        return MediaTypes.isIndex(mediaType);
    }

    public Descriptor descriptor() {
        return Descriptor.of(this);
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The size in bytes, without copying them. */
    public int size() {
        return bytes.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Manifest that && mediaType.equals(that.mediaType) && digest.equals(that.digest)
                && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return digest.hashCode();
    }

    @Override
    public String toString() {
        return "Manifest[" + mediaType + ", " + digest + ", " + bytes.length + " bytes]";
    }
}
