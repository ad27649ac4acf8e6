package dev.stevedore.image.copy;

import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.spi.Bytes;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.target.ImageTarget;
import dev.stevedore.spi.TaskLog;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides, while an image is planned, where each of its blobs comes from. A layer whose descriptor lists
 * {@code urls} (a Windows base layer, an OCI non-distributable layer) is usually not in the registry:
 * when the source holds it, it is copied like any blob; when not, it is left out under
 * {@link ForeignLayers#SKIP} (as skopeo does; the manifest still names it, and nodes download it from its
 * URLs) or read from its URLs under {@link ForeignLayers#INCLUDE}, for nodes that cannot reach them.
 */
final class ForeignLayerPlan {

    private final Map<String, Descriptor> blobs = new LinkedHashMap<>();
    private final Map<String, Descriptor> skipped = new LinkedHashMap<>();
    private final Map<String, Descriptor> fromUrls = new LinkedHashMap<>();

    /**
     * @param blobs every blob of every manifest to copy, in order, repeats allowed
     */
    static ForeignLayerPlan of(Collection<Descriptor> blobs, ImageTarget source, ImageReference image, ForeignLayers mode)
            throws IOException {
        ForeignLayerPlan plan = new ForeignLayerPlan();
        for (Descriptor blob : blobs) {
            String digest = blob.digest().toString();
            if (plan.blobs.containsKey(digest) || plan.skipped.containsKey(digest)) {
                continue;
            }
            if (!blob.isForeign() || source.hasBlob(image, blob)) {
                plan.blobs.put(digest, blob);
            } else if (mode == ForeignLayers.INCLUDE) {
                plan.blobs.put(digest, blob);
                plan.fromUrls.put(digest, blob);
            } else {
                plan.skipped.put(digest, blob);
            }
        }
        return plan;
    }

    /** The blobs to copy. */
    List<Descriptor> blobs() {
        return List.copyOf(blobs.values());
    }

    ImagePlan.Foreign foreign(Targets targets) throws IOException {
        if (skipped.isEmpty() && fromUrls.isEmpty()) {
            return ImagePlan.Foreign.NONE;
        }
        return new ImagePlan.Foreign(List.copyOf(skipped.values()), List.copyOf(fromUrls.values()),
                fromUrls.isEmpty() ? null : targets.foreignLayers());
    }

    /** One line per image that leaves foreign layers out, so the operator knows the bundle relies on their URLs. */
    void report(ImageReference image, TaskLog log) {
        if (skipped.isEmpty()) {
            return;
        }
        List<String> layers = new ArrayList<>();
        skipped.values().forEach(layer -> layers.add(layer.digest() + " (" + Bytes.format(layer.size()) + ")"));
        log.warn(image + ": " + skipped.size() + (skipped.size() == 1 ? " foreign layer" : " foreign layers") + " not copied, "
                + String.join(", ", layers) + ": the source does not hold " + (skipped.size() == 1 ? "it" : "them")
                + " and nodes download such layers from the URLs in the manifest; set foreign_layers: include to copy them");
    }
}
