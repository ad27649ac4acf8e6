package dev.stevedore.image.copy;

import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.spi.Cancellation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Plans the images of a copy no more than a set number ahead of the copies that have not finished: an image
 * is planned once fewer than that many are planned or copying, and its copy starts as soon as its plan is
 * ready, while later images are planned. A plan (manifests, descriptors, futures: some kilobytes) then lives
 * only while its image is under way, so the memory of a copy of many thousand images stays that of the
 * window, not of every image at once, and the first transfers start after one plan instead of all of them.
 */
final class PlanningWindow {

    /**
     * Images under way for each thread of the copy's pool (1,024 at the default {@code concurrency: 8}): deep
     * enough that the pool's queue never runs dry. At 4 a thread, the threads waited for the next plan and
     * woke for each image: the 5,000-image pull took 22 % more CPU (BENCHMARKS.md, "Many images").
     */
    static final int IMAGES_PER_THREAD = 32;

    private final Semaphore open;
    private final Cancellation cancellation;
    private final ExecutorService pool;

    /** @param size how many images may be planned or copying at once */
    PlanningWindow(int size, Cancellation cancellation, ExecutorService pool) {
        if (size < 1) {
            throw new IllegalArgumentException("size must be positive, got " + size);
        }
        this.open = new Semaphore(size);
        this.cancellation = cancellation;
        this.pool = pool;
    }

    /** The window for a pool of {@code threads} threads. */
    static int sizeFor(int threads) {
        return Math.multiplyExact(threads, IMAGES_PER_THREAD);
    }

    /**
     * Plans and copies {@code images} in their order, returning once the last has entered the window, or once
     * the copy is cancelled: then the images not started yet have no future in the list, which is shorter.
     *
     * @param plan plans one image on the pool; never throws (a failure is its outcome)
     * @param copy starts the copy of a planned image; its future completes with the image's result
     */
    List<CompletableFuture<ImageResult>> run(List<ImageReference> images, Function<ImageReference, PlanOutcome> plan,
                                             Function<PlanOutcome, CompletableFuture<ImageResult>> copy) {
        List<CompletableFuture<ImageResult>> results = new ArrayList<>(images.size());
        for (ImageReference image : images) {
            if (!enter()) {
                break;
            }
            CompletableFuture<ImageResult> result = CompletableFuture.supplyAsync(() -> plan.apply(image), pool).thenCompose(copy);
            result.whenComplete((done, failure) -> open.release());
            results.add(result);
        }
        return results;
    }

    /** Waits for room in the window, looking at the cancellation meanwhile; false once the copy is cancelled. */
    private boolean enter() {
        try {
            while (!cancellation.isCancelled()) {
                if (open.tryAcquire(CancellationCheck.POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                    return true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }
}
