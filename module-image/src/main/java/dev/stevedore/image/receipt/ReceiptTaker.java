package dev.stevedore.image.receipt;

import dev.stevedore.image.error.ImageException;
import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.oci.Manifest;
import dev.stevedore.image.oci.ManifestParser;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.target.ImageTarget;
import java.io.IOException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;

/**
 * Takes a receipt of images as a target holds them: walks each image's manifest or index down to every
 * child, and keeps each config and layer the target answers {@link ImageTarget#hasBlob} for. Asking instead of
 * trusting the manifests keeps a receipt honest about a directory that is itself a delta (its excluded
 * blobs are absent) and about foreign layers a registry does not hold. Reads only.
 */
public final class ReceiptTaker {

    private final ImageTarget target;
    private final Clock clock;

    public ReceiptTaker(ImageTarget target, Clock clock) {
        this.target = target;
        this.clock = clock;
    }

    /**
     * @param source names the target in the receipt ({@code oci://HOST}, {@code local://DIR})
     * @param images the images to record; each must be in the target
     * @throws ImageException naming the first image the target does not hold
     */
    public Receipt take(String source, List<ImageReference> images) throws IOException {
        List<ReceiptImage> taken = new ArrayList<>();
        Set<String> seenBlobs = new HashSet<>();
        for (ImageReference image : images) {
            Optional<Manifest> root = target.fetchManifest(image);
            if (root.isEmpty()) {
                throw new ImageException("image " + image + " is not in " + target.describe()
                        + ", so a receipt cannot say it is there; check its name, or leave it out");
            }
            SortedSet<Digest> manifests = Digests.mutable();
            SortedSet<Digest> blobs = Digests.mutable();
            walk(image, root.get(), manifests, blobs, seenBlobs);
            taken.add(new ReceiptImage(image, root.get().digest(), manifests, blobs));
        }
        return Receipt.of(clock.instant().truncatedTo(ChronoUnit.SECONDS).toString(), source, taken);
    }

    private void walk(ImageReference image, Manifest manifest, SortedSet<Digest> manifests, SortedSet<Digest> blobs,
                      Set<String> seenBlobs) throws IOException {
        if (!manifests.add(manifest.digest())) {
            return;
        }
        if (manifest.isIndex()) {
            for (Descriptor child : ManifestParser.parseIndex(manifest).manifests()) {
                walk(image, target.fetchManifest(image, child.digest()), manifests, blobs, seenBlobs);
            }
            return;
        }
        for (Descriptor blob : ManifestParser.parseManifest(manifest).blobs()) {
            // A registry keeps blobs per repository: ask once per repository and blob, not once per image.
            if (blobs.contains(blob.digest())) {
                continue;
            }
            String key = image.registry() + "/" + image.repository() + "@" + blob.digest();
            if (seenBlobs.contains(key) || target.hasBlob(image, blob)) {
                seenBlobs.add(key);
                blobs.add(blob.digest());
            }
        }
    }
}
