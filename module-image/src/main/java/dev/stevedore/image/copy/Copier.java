package dev.stevedore.image.copy;

import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.registry.RegistrySettings;
import dev.stevedore.spi.Cancellation;
import dev.stevedore.spi.Progress;
import dev.stevedore.spi.TaskLog;
import dev.stevedore.spi.Templates;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one copy engine for every direction (registry or directory, to registry or directory), working
 * only through {@link dev.stevedore.image.target.ImageTarget}.
 *
 * <p>A copy runs in two phases. Planning ({@link ImagePlanner}) resolves every image (rendered
 * {@code src}/{@code dest}, manifests, platform selection, blobs) without writing anything. Execution
 * ({@link ImageCopy}) then runs blob transfers of all images together on one pool, as many at once as
 * {@link TransferSlots} allows by their size, each distinct blob once per destination ({@link BlobTransfers}). One
 * image failing does not stop the others; cancellation stops every transfer promptly and reports the
 * images that did not finish.
 */
public final class Copier {

    private static final long POLL_MILLIS = 50;
    private static final long CANCEL_GRACE_SECONDS = 10;

    private final TargetFactory factory;
    private final Templates templates;
    private final TaskLog log;
    private final Cancellation cancellation;

    public Copier(TargetFactory factory, Templates templates, TaskLog log, Cancellation cancellation) {
        this.factory = factory;
        this.templates = templates;
        this.log = log;
        this.cancellation = cancellation;
    }

    /**
     * Runs one request. Failures of single images are in the results; an exception means the request
     * as a whole could not start (a directory source that cannot be listed).
     */
    public List<ImageResult> copy(CopyRequest request, Map<String, Object> hostVariables, RegistrySettings settings)
            throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(TransferSlots.threads(request.concurrency()), threads(request.label()));
        try (Targets targets = new Targets(factory, settings, log, request.layout())) {
            ImagePlanner planner = new ImagePlanner(request, templates, hostVariables, targets, log);
            List<ImageReference> images = planner.images();
            if (images.isEmpty()) {
                return List.of();
            }
            PlannedReads.announce(planner, images, targets);
            List<CompletableFuture<Object>> plans = new ArrayList<>();
            for (ImageReference image : images) {
                plans.add(CompletableFuture.supplyAsync(() -> plan(planner, image, request), pool));
            }
            List<Object> planned = new ArrayList<>();
            for (int i = 0; i < images.size(); i++) {
                planned.add(await(plans.get(i), images.get(i), request, pool));
            }
            logPlan(request, planned);
            List<ImagePlan> copies = planned.stream().filter(ImagePlan.class::isInstance).map(ImagePlan.class::cast).toList();
            try (Progress progress = log.progress(request.label() + " images", copies.size(),
                    copies.stream().mapToLong(ImagePlan::totalBytes).sum())) {
                List<CompletableFuture<ImageResult>> results = new ArrayList<>();
                ImageCopy copy = new ImageCopy(new BlobTransfers(cancellation, new TransferSlots(request.concurrency())), pool, progress, cancellation,
                        request.referrers() ? new ReferrerCopy() : null, log::info);
                for (Object outcome : planned) {
                    results.add(outcome instanceof ImagePlan plan
                            ? copy.start(plan)
                            : CompletableFuture.completedFuture((ImageResult) outcome));
                }
                List<ImageResult> done = new ArrayList<>();
                for (int i = 0; i < images.size(); i++) {
                    Object result = await(results.get(i), images.get(i), request, pool);
                    done.add((ImageResult) result);
                }
                return done;
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void logPlan(CopyRequest request, List<Object> planned) {
        List<ImagePlan> plans = planned.stream().filter(ImagePlan.class::isInstance).map(ImagePlan.class::cast).toList();
        long toCopy = plans.stream().filter(p -> !p.upToDate()).count();
        long distinct = plans.stream().filter(p -> !p.upToDate()).flatMap(p -> p.blobs().stream())
                .map(b -> b.digest()).distinct().count();
        log.info(request.label() + ": " + planned.size() + " images planned, " + toCopy + " to copy with " + distinct
                + " distinct blobs, " + (plans.size() - toCopy) + " already up to date, "
                + (planned.size() - plans.size()) + " not copyable");
    }

    private Object plan(ImagePlanner planner, ImageReference image, CopyRequest request) {
        try {
            checkCancelled();
            return planner.plan(image);
        } catch (ImagePlanner.PlatformSkipped e) {
            log.warn(e.getMessage());
            return ImageResult.skipped(planner.describeSource(image), planner.describeDestination(image), e.getMessage());
        } catch (IOException | RuntimeException e) {
            return ImageResult.failed(planner.describeSource(image), planner.describeDestination(image), reason(e));
        }
    }

    /** Waits for one image, polling so that a cancellation is noticed promptly even while transfers block. */
    private Object await(CompletableFuture<?> future, ImageReference image, CopyRequest request, ExecutorService pool) {
        while (true) {
            if (cancellation.isCancelled()) {
                return afterCancel(future, image, request, pool);
            }
            try {
                return future.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // still running: look at the cancellation again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                pool.shutdownNow();
                return ImageResult.failed(image.toString(), request.dest(), "cancelled before it finished");
            } catch (ExecutionException e) {
                return ImageResult.failed(image.toString(), request.dest(), reason(e));
            }
        }
    }

    /**
     * Interrupts every transfer and gives running ones a moment to abandon their temporary files; an
     * image whose work was still queued or running reports that it was cancelled.
     */
    private Object afterCancel(CompletableFuture<?> future, ImageReference image, CopyRequest request, ExecutorService pool) {
        pool.shutdownNow();
        try {
            pool.awaitTermination(CANCEL_GRACE_SECONDS, TimeUnit.SECONDS);
            if (future.isDone() && !future.isCompletedExceptionally()) {
                return future.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // reported as cancelled below
        }
        return ImageResult.failed(image.toString(), request.dest(), "cancelled before it finished");
    }

    private void checkCancelled() throws InterruptedIOException {
        if (cancellation.isCancelled()) {
            throw new InterruptedIOException("the copy was cancelled");
        }
    }

    /** The user-facing reason of a failure, without the wrappers concurrency adds. */
    static String reason(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof InterruptedIOException) {
            return "cancelled before it finished";
        }
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
    }

    private static ThreadFactory threads(String label) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "image-" + label + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
