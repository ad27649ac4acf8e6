package dev.stevedore.image.copy;

import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.oci.Manifest;
import dev.stevedore.image.progress.ImageProgress;
import dev.stevedore.spi.Cancellation;
import dev.stevedore.spi.Progress;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;

/**
 * Copies planned images on the copier's shared pool: every blob of an image as its own task (so that
 * blobs of all images run side by side), then, once all are there, the image's child manifests, then its
 * index or manifest under its tag, so a destination never points at missing content.
 */
final class ImageCopy {

    private final BlobTransfers transfers;
    private final ExecutorService pool;
    private final Progress progress;
    private final Cancellation cancellation;
    private final ReferrerCopy referrers;

    /**
     * @param progress  the batch every image of this copy reports into
     * @param referrers copies each image's referrers after it, or null when the task does not ask for them
     */
    ImageCopy(BlobTransfers transfers, ExecutorService pool, Progress progress, Cancellation cancellation, ReferrerCopy referrers) {
        this.referrers = referrers;
        this.transfers = transfers;
        this.pool = pool;
        this.progress = progress;
        this.cancellation = cancellation;
    }

    /** Starts copying one planned image; the future completes with its result, never exceptionally. */
    CompletableFuture<ImageResult> start(ImagePlan plan) {
        ImageProgress progress = new ImageProgress(this.progress, plan.source() + " -> " + plan.destination(), plan.totalBytes());
        if (plan.upToDate()) {
            progress.skipped(plan.totalBytes());
            if (referrers == null) {
                progress.finish("up to date");
                return CompletableFuture.completedFuture(result(plan, ImageResult.Status.UNCHANGED, List.of()));
            }
            // The image is there, but a signature or SBOM may have been added at the source since.
            return CompletableFuture.supplyAsync(() -> {
                ImageResult unchanged = withReferrers(plan, result(plan, ImageResult.Status.UNCHANGED, List.of()));
                progress.finish(unchanged.status() == ImageResult.Status.UNCHANGED ? "up to date" : "referrers copied");
                return unchanged;
            }, pool).exceptionally(failure -> {
                progress.finish("failed");
                return ImageResult.failed(plan.source(), plan.destination(), Copier.reason(failure));
            });
        }
        List<CompletableFuture<BlobTransfers.Outcome>> blobs = new ArrayList<>();
        for (Descriptor blob : plan.blobs()) {
            blobs.add(CompletableFuture.supplyAsync(() -> {
                try {
                    progress.begin();
                    return transfers.ensure(plan, blob, progress);
                } catch (IOException e) {
                    throw new CompletionException(new IOException("blob " + blob.digest() + ": " + e.getMessage(), e));
                }
            }, pool));
        }
        return CompletableFuture.allOf(blobs.toArray(CompletableFuture[]::new))
                .thenApplyAsync(ignored -> {
                    try {
                        writeManifests(plan);
                    } catch (IOException e) {
                        throw new CompletionException(e);
                    }
                    ImageResult copied = withReferrers(plan,
                            result(plan, ImageResult.Status.COPIED, blobs.stream().map(CompletableFuture::join).toList()));
                    progress.finish("copied");
                    return copied;
                }, pool)
                .exceptionally(failure -> {
                    progress.finish("failed");
                    return ImageResult.failed(plan.source(), plan.destination(), Copier.reason(failure));
                });
    }

    private ImageResult withReferrers(ImagePlan plan, ImageResult result) {
        if (referrers == null) {
            return result;
        }
        try {
            checkCancelled();
            return result.withReferrers(referrers.copy(plan));
        } catch (IOException e) {
            throw new CompletionException(e);
        }
    }

    /** Children first, then the index or manifest itself, then (with it) the tag. */
    private void writeManifests(ImagePlan plan) throws IOException {
        for (Manifest child : plan.children()) {
            checkCancelled();
            plan.destTarget().writeManifest(plan.destRef(), child);
        }
        checkCancelled();
        if (plan.destRef().tag() != null) {
            plan.destTarget().tag(plan.destRef(), plan.root());
        } else {
            plan.destTarget().writeManifest(plan.destRef(), plan.root());
        }
    }

    private ImageResult result(ImagePlan plan, ImageResult.Status status, List<BlobTransfers.Outcome> outcomes) {
        long copied = 0;
        long skipped = 0;
        long mounted = 0;
        long bytes = 0;
        for (int i = 0; i < outcomes.size(); i++) {
            switch (outcomes.get(i)) {
                case COPIED -> {
                    copied++;
                    bytes += plan.blobs().get(i).size();
                }
                case SKIPPED -> skipped++;
                case MOUNTED -> mounted++;
            }
        }
        if (status == ImageResult.Status.UNCHANGED) {
            skipped = plan.blobs().size();
        }
        return new ImageResult(plan.source(), plan.destination(), status, plan.root().digest().toString(),
                plan.root().mediaType(), plan.platforms(), copied, skipped, mounted, plan.foreign().skipped().size(), bytes, "",
                plan.note());
    }

    private void checkCancelled() throws InterruptedIOException {
        if (cancellation.isCancelled()) {
            throw new InterruptedIOException("the copy was cancelled");
        }
    }
}
