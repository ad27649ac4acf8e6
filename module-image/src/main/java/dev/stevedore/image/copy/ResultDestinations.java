package dev.stevedore.image.copy;

import dev.stevedore.image.error.ImageException;
import dev.stevedore.image.target.ImageTarget;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The destination each image of a copy was written to, so that a destination that cannot be closed fails the
 * images in it, rather than the copy losing every image's result ({@link Targets#close}). Results are told
 * apart by identity: two images can have equal results, and only the one in the unfinished store is affected.
 * Thread-safe: copies complete on the pool's threads.
 */
final class ResultDestinations {

    private final Map<ImageResult, ImageTarget> destinations = Collections.synchronizedMap(new IdentityHashMap<>());

    /** {@code result}, the copy of {@code plan}, remembered with the plan's destination once it completes. */
    CompletableFuture<ImageResult> track(ImagePlan plan, CompletableFuture<ImageResult> result) {
        ImageTarget destination = plan.destination().target();
        return result.thenApply(done -> {
            destinations.put(done, destination);
            return done;
        });
    }

    /**
     * {@code results} with every image copied into, or found in, a destination that did not close marked failed,
     * saying why; what was written for it (blobs, bytes) stays in its result. An image that had failed already
     * keeps its own reason: it is the first cause (a disk that filled during its blobs also fails the close).
     *
     * @throws UnfinishedDestinationsException {@code unfinished} itself, when no result was written to those
     *         destinations: then no image can carry it, and the copy as a whole fails
     */
    List<ImageResult> failIn(List<ImageResult> results, UnfinishedDestinationsException unfinished)
            throws UnfinishedDestinationsException {
        List<ImageResult> marked = new ArrayList<>(results.size());
        boolean any = false;
        for (ImageResult result : results) {
            ImageTarget destination = destinations.get(result);
            ImageException reason = destination == null ? null : unfinished.reason(destination);
            boolean affected = reason != null
                    && (result.status() == ImageResult.Status.COPIED || result.status() == ImageResult.Status.UNCHANGED);
            marked.add(affected ? result.failedAfterCopy(reason.getMessage()) : result);
            any |= reason != null;
        }
        if (!any) {
            throw unfinished;
        }
        return marked;
    }
}
