package dev.stevedore.image.receipt;

import dev.stevedore.image.reference.Digest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;

/**
 * What the far side of an air gap already holds: the digests of its blobs and manifests, and the images
 * they belong to. A pull with {@code exclude: RECEIPT} leaves these blobs out of the bundle it writes (a
 * delta bundle); the push of that delta checks that the far side still holds them. The file format is
 * {@link ReceiptFile}'s.
 *
 * @param version  the format version, {@link #VERSION}
 * @param created  when the receipt was taken, ISO-8601 UTC
 * @param source   where it was taken: {@code oci://HOST}, {@code local://DIR} or {@code oci-layout://DIR}
 * @param images   each image with its manifests and blobs; may be empty in a receipt that lists only digests
 * @param extraBlobs     blob digests listed at the top level beyond the images' (a hand-written or foreign receipt)
 * @param extraManifests manifest digests listed likewise
 */
public record Receipt(int version, String created, String source, List<ReceiptImage> images,
                      Set<Digest> extraBlobs, Set<Digest> extraManifests) {

    /** The one version this code writes and reads. */
    public static final int VERSION = 1;

    public Receipt {
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(source, "source");
        images = List.copyOf(images);
        extraBlobs = Digests.sorted(extraBlobs);
        extraManifests = Digests.sorted(extraManifests);
    }

    /** A receipt of these images, with nothing listed beyond them. */
    public static Receipt of(String created, String source, List<ReceiptImage> images) {
        return new Receipt(VERSION, created, source, images, Digests.mutable(), Digests.mutable());
    }

    /** Every blob the far side holds: the images' and those listed beyond them. */
    public SortedSet<Digest> blobs() {
        SortedSet<Digest> all = Digests.mutable();
        all.addAll(extraBlobs);
        images.forEach(image -> all.addAll(image.blobs()));
        return all;
    }

    /** Every manifest and index the far side holds. */
    public SortedSet<Digest> manifests() {
        SortedSet<Digest> all = Digests.mutable();
        all.addAll(extraManifests);
        images.forEach(image -> all.addAll(image.manifests()));
        return all;
    }

    /**
     * The repositories ({@code library/nginx}) of the images that hold {@code blob}: where a push of a delta
     * into the same registry can mount it from when the image's own repository lacks it.
     */
    public List<String> repositoriesHolding(Digest blob) {
        Set<String> repositories = new LinkedHashSet<>();
        for (ReceiptImage image : images) {
            if (image.blobs().contains(blob)) {
                repositories.add(image.repository());
            }
        }
        return new ArrayList<>(repositories);
    }
}
