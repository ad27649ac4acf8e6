package dev.stevedore.image.copy;

import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.oci.Manifest;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.target.ForeignLayerSource;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Objects;

/**
 * Everything needed to copy one image, resolved before any write: where it comes from and goes to,
 * the manifest or index to write last, the child manifests an index refers to, and every distinct blob.
 *
 * @param source       where the image is read
 * @param destination  where it is written; its reference is the image's tag, or its digest when it has no tag
 * @param root         the manifest or index the destination's tag will point at (maybe a filtered index)
 * @param children     the manifests and nested indexes below {@code root}, each before any index that
 *                     refers to it; empty for a single manifest
 * @param blobs        every blob to copy, each digest once
 * @param platforms    the platforms copied, when known
 * @param upToDate     the destination already has {@code root} under its reference: nothing to do
 * @param foreign      layers with {@code urls} that the source lacks: not copied, or read from their URLs
 * @param note         what an operator should know about this image (an artifact under a platform filter), or empty
 * @param sourceDigest the digest of the manifest or index the source's reference points at, before any
 *                     platform filter ({@code root} is the filtered index then)
 * @param excluded     how many of the image's blobs {@code exclude:} left out (the receipt says the far side
 *                     holds them); they are not in {@code blobs}
 */
public record ImagePlan(ImagePlace source, ImagePlace destination, Manifest root, List<Manifest> children,
                        List<Descriptor> blobs, List<String> platforms, boolean upToDate, Foreign foreign, String note,
                        Digest sourceDigest, long excluded) {

    /**
     * The foreign layers of an image that its source does not hold.
     *
     * @param skipped  not copied ({@code foreign_layers: skip}); the manifest still refers to them
     * @param fromUrls copied from the URLs their descriptors list ({@code foreign_layers: include}); also in {@code blobs}
     * @param urls     reads {@code fromUrls}; null when that is empty
     */
    public record Foreign(List<Descriptor> skipped, List<Descriptor> fromUrls, ForeignLayerSource urls) {
        public static final Foreign NONE = new Foreign(List.of(), List.of(), null);

        public Foreign {
            skipped = List.copyOf(skipped);
            fromUrls = List.copyOf(fromUrls);
            if (!fromUrls.isEmpty()) {
                Objects.requireNonNull(urls, "urls");
            }
        }
    }

    public ImagePlan {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        children = List.copyOf(children);
        blobs = List.copyOf(blobs);
        platforms = List.copyOf(platforms);
        Objects.requireNonNull(foreign, "foreign");
        note = note == null ? "" : note;
        Objects.requireNonNull(sourceDigest, "sourceDigest");
    }

    /** The bytes of all blobs of the image. */
    public long totalBytes() {
        return blobs.stream().mapToLong(Descriptor::size).sum();
    }

    /**
     * Opens a blob where this plan reads it, from byte {@code offset} on: the source, or the URLs of a
     * foreign layer the source lacks (read from the start and skipped to the offset: URLs promise no Range).
     */
    public InputStream openBlob(Descriptor blob, long offset) throws IOException {
        if (foreign.fromUrls().stream().anyMatch(layer -> layer.digest().equals(blob.digest()))) {
            InputStream whole = foreign.urls().open(source.reference(), blob);
            try {
                whole.skipNBytes(offset);
            } catch (IOException | RuntimeException e) {
                whole.close();
                throw e;
            }
            return whole;
        }
        return source.target().openBlob(source.reference(), blob, offset);
    }
}
