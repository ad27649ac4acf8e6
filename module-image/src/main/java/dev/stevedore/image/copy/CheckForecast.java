package dev.stevedore.image.copy;

import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.target.ImageTarget;
import java.io.IOException;
import java.util.HashMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a real run would do with each blob of planned images, found by reading the destination only: the
 * check run's counterpart of {@link BlobTransfers}, deciding as it does, in plan order. A blob is
 * <em>skipped</em> when the destination repository has it or an earlier image of the run brings it
 * there; <em>mounted</em> when an earlier image of the run brings it to another repository of the same
 * registry, or the copy stays within one registry (a registry that refuses the mount gets an upload
 * instead); else <em>copied</em>, with its bytes. With {@code referrers: true} the referrers are forecast too
 * ({@link ReferrerCopy#forecast}). Not thread-safe: one forecast per copy, run on one thread.
 */
final class CheckForecast {

    private record RepositoryKey(ImageTarget target, String repository, Digest digest) { }

    private record TargetKey(ImageTarget target, Digest digest) { }

    /** The referrers' forecast, with {@code referrers: true}; else null. */
    private final ReferrerCopy referrers;
    /** Blobs that this run already placed (on paper) per destination repository. */
    private final Set<RepositoryKey> placed = new HashSet<>();
    /** The first repository of each destination target that this run placed a blob in. */
    private final Map<TargetKey, ImageReference> landed = new HashMap<>();

    CheckForecast(ReferrerCopy referrers) {
        this.referrers = referrers;
    }

    /**
     * The result a real run would report for {@code plan}, with its referrers when they travel with it, and
     * the mapping line of the image; a failed result when the destination cannot be read.
     */
    CheckedImage forecast(ImagePlan plan) {
        try {
            return forecastOrThrow(plan);
        } catch (IOException | RuntimeException e) {
            return CheckedImage.unplanned(ImageResult.failed(plan.source().description(), plan.destination().description(), Copier.reason(e)));
        }
    }

    private CheckedImage forecastOrThrow(ImagePlan plan) throws IOException {
        String mapping = mapping(plan);
        ImageResult result;
        if (plan.upToDate()) {
            result = result(plan, ImageResult.Status.UNCHANGED, BlobCounts.upToDate(plan));
        } else {
            List<BlobTransfers.Outcome> outcomes = new ArrayList<>();
            for (Descriptor blob : plan.blobs()) {
                outcomes.add(place(plan, blob));
            }
            result = result(plan, ImageResult.Status.COPIED, BlobCounts.of(plan, outcomes));
        }
        // An image that is there counts as copied when its referrers would be, as in a real run.
        return new CheckedImage(referrers == null ? result : result.withReferrers(referrers.forecast(plan)), mapping);
    }

    private static ImageResult result(ImagePlan plan, ImageResult.Status status, BlobCounts blobs) {
        return new ImageResult(plan.source().description(), plan.destination().description(), status,
                plan.root().digest().toString(), plan.root().mediaType(), plan.platforms(), blobs, "", plan.note());
    }

    private BlobTransfers.Outcome place(ImagePlan plan, Descriptor blob) throws IOException {
        ImageTarget dest = plan.destination().target();
        if (!placed.add(new RepositoryKey(dest, plan.destination().reference().name(), blob.digest()))) {
            return BlobTransfers.Outcome.SKIPPED;
        }
        TargetKey key = new TargetKey(dest, blob.digest());
        ImageReference earlier = landed.putIfAbsent(key, plan.destination().reference());
        if (dest.hasBlob(plan.destination().reference(), blob)) {
            return BlobTransfers.Outcome.SKIPPED;
        }
        if (earlier != null && dest instanceof ReadOnlyTarget target && target.sharedBlobPool()) {
            // One blob pool for all repositories: the earlier image's write is this image's blob too.
            return BlobTransfers.Outcome.SKIPPED;
        }
        if (BlobTransfers.mountableFrom(plan, earlier)
                || plan.source().target() == dest && BlobTransfers.mountableFrom(plan, plan.source().reference())) {
            return BlobTransfers.Outcome.MOUNTED;
        }
        return BlobTransfers.Outcome.COPIED;
    }

    /**
     * {@code source=destination}, as a line of oc-mirror's {@code mapping.txt}, with this project's locations
     * on both sides: the source pinned to the digest its reference resolved to, the destination as a run
     * would write it (its tag, or its digest when it has none).
     */
    static String mapping(ImagePlan plan) {
        String source = plan.source().description();
        if (plan.source().reference().digest() == null) {
            source += "@" + plan.sourceDigest();
        }
        return source + "=" + plan.destination().description();
    }
}
