package dev.stevedore.image.copy;

import dev.stevedore.image.oci.Descriptor;
import java.util.List;

/**
 * What a copy did with one image's blobs, or in check mode would do.
 *
 * @param copied  blobs transferred
 * @param skipped blobs the destination already had, or another image of the run placed
 * @param mounted blobs mounted from another repository of the destination registry
 * @param foreign  layers with {@code urls} that the source lacks and that were not copied
 * @param excluded blobs {@code exclude:} left out of a delta bundle, as its receipt says the far side holds them
 * @param bytes    the bytes of the copied blobs
 */
public record BlobCounts(long copied, long skipped, long mounted, long foreign, long excluded, long bytes) {

    /** An image that was not copied. */
    public static final BlobCounts NONE = new BlobCounts(0, 0, 0, 0, 0, 0);

    /** An image the destination already had: every blob is there. */
    static BlobCounts upToDate(ImagePlan plan) {
        return new BlobCounts(0, plan.blobs().size(), 0, plan.foreign().skipped().size(), plan.excluded(), 0);
    }

    /** The outcomes of the plan's blobs, one per blob in the plan's order. */
    static BlobCounts of(ImagePlan plan, List<BlobTransfers.Outcome> outcomes) {
        long copied = 0;
        long skipped = 0;
        long mounted = 0;
        long bytes = 0;
        for (int i = 0; i < outcomes.size(); i++) {
            Descriptor blob = plan.blobs().get(i);
            switch (outcomes.get(i)) {
                case COPIED -> {
                    copied++;
                    bytes += blob.size();
                }
                case SKIPPED -> skipped++;
                case MOUNTED -> mounted++;
            }
        }
        return new BlobCounts(copied, skipped, mounted, plan.foreign().skipped().size(), plan.excluded(), bytes);
    }
}
