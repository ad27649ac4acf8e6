package dev.stevedore.image.copy;

import dev.stevedore.image.error.ImageException;
import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.oci.Manifest;
import dev.stevedore.image.progress.ImageProgress;
import dev.stevedore.spi.Bytes;
import dev.stevedore.spi.Cancellation;
import dev.stevedore.spi.Progress;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/**
 * Copies planned images on the copier's shared pool: every blob of an image as its own task (so that
 * blobs of all images run side by side), then, once all are there, the image's child manifests, then its
 * index or manifest under its tag, so a destination never points at missing content.
 */
final class ImageCopy {

    private final BlobTransfers transfers;
    private final ExecutorService pool;
    private final Progress progress;
    private final CancellationCheck cancellation;
    private final ReferrerCopy referrers;
    private final Consumer<String> verbose;

    /**
     * @param progress  the batch every image of this copy reports into
     * @param referrers copies each image's referrers after it, or null when the task does not ask for them
     * @param verbose   where each image's plan and outcome go ({@code -v})
     */
    ImageCopy(BlobTransfers transfers, ExecutorService pool, Progress progress, Cancellation cancellation, ReferrerCopy referrers,
              Consumer<String> verbose) {
        this.referrers = referrers;
        this.verbose = verbose;
        this.transfers = transfers;
        this.pool = pool;
        this.progress = progress;
        this.cancellation = new CancellationCheck(cancellation);
    }

    /** Starts copying one planned image; the future completes with its result, never exceptionally. */
    CompletableFuture<ImageResult> start(ImagePlan plan) {
        ImageProgress progress = new ImageProgress(this.progress,
                plan.source().description() + " -> " + plan.destination().description(), plan.totalBytes());
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
                return ImageResult.failed(plan.source().description(), plan.destination().description(), Copier.reason(failure));
            });
        }
        verbose.accept(planLine(plan));
        List<CompletableFuture<BlobTransfers.Outcome>> blobs = new ArrayList<>();
        for (Descriptor blob : plan.blobs()) {
            blobs.add(CompletableFuture.supplyAsync(() -> {
                try {
                    progress.begin();
                    return transfers.ensure(plan, blob, progress);
                } catch (IOException e) {
                    if (e instanceof InterruptedIOException && cancellation.isCancelled()) {
                        // Cancelled, not this blob's failure: said so, now that every blob of the image may be under way.
                        throw new CompletionException(e);
                    }
                    throw new CompletionException(namingTheBlob(blob, e));
                }
            }, pool));
        }
        // thenApply, not thenApplyAsync on the pool: the manifests go up as soon as the image's last blob is
        // there, rather than behind every blob of every image still queued, so images complete one by one.
        return CompletableFuture.allOf(blobs.toArray(CompletableFuture[]::new))
                .thenApply(ignored -> {
                    try {
                        writeManifests(plan);
                    } catch (IOException e) {
                        throw new CompletionException(e);
                    }
                    ImageResult copied = withReferrers(plan,
                            result(plan, ImageResult.Status.COPIED, blobs.stream().map(CompletableFuture::join).toList()));
                    progress.finish("copied");
                    verbose.accept(outcomeLine(copied));
                    return copied;
                })
                .exceptionally(failure -> {
                    progress.finish("failed");
                    return ImageResult.failed(plan.source().description(), plan.destination().description(), Copier.reason(failure));
                });
    }

    private ImageResult withReferrers(ImagePlan plan, ImageResult result) {
        if (referrers == null) {
            return result;
        }
        try {
            cancellation.throwIfCancelled();
            return result.withReferrers(referrers.copy(plan));
        } catch (IOException e) {
            throw new CompletionException(e);
        }
    }

    /** {@code -v}: what the image needs, before its transfers start. */
    private static String planLine(ImagePlan plan) {
        long layers = plan.blobs().size();
        return "plan " + plan.source().description() + " -> " + plan.destination().description() + ": " + layers + (layers == 1 ? " blob" : " blobs")
                + " (" + Bytes.format(plan.totalBytes()) + "), " + plan.children().size() + " child manifests"
                + (plan.platforms().isEmpty() ? "" : ", platforms " + String.join(" ", plan.platforms()));
    }

    /** {@code -v}: what the copy of one image did. */
    private static String outcomeLine(ImageResult result) {
        return result.source() + " -> " + result.destination() + ": " + result.blobs().copied() + " blobs copied ("
                + Bytes.format(result.blobs().bytes()) + "), " + result.blobs().skipped() + " already there, "
                + result.blobs().mounted() + " mounted";
    }

    /** Children first, then the index or manifest itself, then (with it) the tag. */
    private void writeManifests(ImagePlan plan) throws IOException {
        for (Manifest child : plan.children()) {
            cancellation.throwIfCancelled();
            plan.destination().target().writeManifest(plan.destination().reference(), child);
        }
        cancellation.throwIfCancelled();
        if (plan.destination().reference().tag() != null) {
            plan.destination().target().tag(plan.destination().reference(), plan.root());
        } else {
            plan.destination().target().writeManifest(plan.destination().reference(), plan.root());
        }
    }

    private ImageResult result(ImagePlan plan, ImageResult.Status status, List<BlobTransfers.Outcome> outcomes) {
        BlobCounts blobs = status == ImageResult.Status.UNCHANGED ? BlobCounts.upToDate(plan) : BlobCounts.of(plan, outcomes);
        return new ImageResult(plan.source().description(), plan.destination().description(), status, plan.root().digest().toString(),
                plan.root().mediaType(), plan.platforms(), blobs, "", plan.note());
    }

    /**
     * {@code failure} with the blob it was about named, once: a store's own message may name it already (a full
     * disk's). Only an {@link ImageException}, a message for the operator, stands as it is; a timeout, say, is an
     * {@link InterruptedIOException} that {@link Copier#reason} must not take for a cancellation.
     */
    private static IOException namingTheBlob(Descriptor blob, IOException failure) {
        String message = String.valueOf(failure.getMessage());
        return failure instanceof ImageException && message.contains(blob.digest().toString()) ? failure
                : new IOException("blob " + blob.digest() + ": " + message, failure);
    }
}
