package dev.stevedore.image.copy;

import dev.stevedore.image.reference.ImageReference;
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
import java.util.function.Function;

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

    private final Templates templates;
    private final TaskLog log;
    private final Cancellation cancellation;
    private final CancellationCheck stopped;

    public Copier(Templates templates, TaskLog log, Cancellation cancellation) {
        this.templates = templates;
        this.log = log;
        this.cancellation = cancellation;
        this.stopped = new CancellationCheck(cancellation);
    }

    /**
     * Runs one request. Failures of single images are in the results; an exception means the request
     * as a whole could not start (a directory source that cannot be listed).
     *
     * @param factory opens the request's targets, bound to its registry and store settings
     */
    public List<ImageResult> copy(CopyRequest request, Map<String, Object> hostVariables, TargetFactory factory)
            throws IOException {
        ExecutorService pool = pool(request);
        try (Targets targets = new Targets(factory, log)) {
            ImagePlanner planner = new ImagePlanner(request, templates, hostVariables, targets, log);
            List<ImageReference> images = planner.images();
            if (images.isEmpty()) {
                return List.of();
            }
            List<PlanOutcome> planned = planner.finishPlanning(planEach(planner, images, targets, request, pool));
            List<ImagePlan> copies = plans(planned);
            logPlan(request, planned.size(), copies);
            try (Progress progress = log.progress(request.label() + " images", copies.size(),
                    copies.stream().mapToLong(ImagePlan::totalBytes).sum())) {
                List<CompletableFuture<ImageResult>> results = new ArrayList<>();
                BlobTransfers transfers = new BlobTransfers(cancellation, new TransferSlots(request.options().concurrency()));
                ImageCopy copy = new ImageCopy(transfers, pool, progress, cancellation,
                        request.options().referrers() ? new ReferrerCopy() : null, log::info);
                for (PlanOutcome outcome : planned) {
                    results.add(outcome instanceof PlanOutcome.ToCopy toCopy
                            ? copy.start(toCopy.plan())
                            : CompletableFuture.completedFuture(((PlanOutcome.Settled) outcome).result()));
                }
                List<ImageResult> done = new ArrayList<>();
                for (int i = 0; i < images.size(); i++) {
                    done.add(await(results.get(i), images.get(i), request, pool, Function.identity()));
                }
                return done;
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Check mode ({@code stevedore run --check}): plans the request as {@link #copy} does, through targets
     * that refuse every write ({@link CheckModeTargets}), and forecasts what the copy would do with each
     * image and blob by reading the destination ({@link CheckForecast}). Nothing is written: no blob,
     * manifest, tag, directory or Harbor project.
     */
    public List<CheckedImage> plan(CopyRequest request, Map<String, Object> hostVariables, CheckModeTargets factory)
            throws IOException {
        ExecutorService pool = pool(request);
        try (Targets targets = new Targets(factory, log)) {
            ImagePlanner planner = new ImagePlanner(request, templates, hostVariables, targets, log);
            List<ImageReference> images = planner.images();
            // As a copy plans: a delta's push that lacks blobs stops every image (its marker's write is dropped).
            List<PlanOutcome> planned = planner.finishPlanning(planEach(planner, images, targets, request, pool));
            logPlan(request, planned.size(), plans(planned));
            CheckForecast forecast = new CheckForecast(request.options().referrers() ? new ReferrerCopy() : null);
            List<CheckedImage> checked = new ArrayList<>();
            for (PlanOutcome outcome : planned) {
                stopped.throwIfCancelled();
                checked.add(outcome instanceof PlanOutcome.ToCopy toCopy ? forecast.forecast(toCopy.plan())
                        : CheckedImage.unplanned(((PlanOutcome.Settled) outcome).result()));
            }
            return checked;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Plans every image on the pool, after telling each source what will be read; outcomes in the images' order. */
    private List<PlanOutcome> planEach(ImagePlanner planner, List<ImageReference> images, Targets targets, CopyRequest request,
                                       ExecutorService pool) throws IOException {
        PlannedReads.announce(planner, images, targets, log);
        List<CompletableFuture<PlanOutcome>> plans = new ArrayList<>();
        for (ImageReference image : images) {
            plans.add(CompletableFuture.supplyAsync(() -> plan(planner, image), pool));
        }
        List<PlanOutcome> planned = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            planned.add(await(plans.get(i), images.get(i), request, pool, PlanOutcome.Settled::new));
        }
        return planned;
    }

    private static List<ImagePlan> plans(List<PlanOutcome> planned) {
        return planned.stream().filter(PlanOutcome.ToCopy.class::isInstance).map(p -> ((PlanOutcome.ToCopy) p).plan()).toList();
    }

    private void logPlan(CopyRequest request, int planned, List<ImagePlan> plans) {
        long toCopy = plans.stream().filter(p -> !p.upToDate()).count();
        long distinct = plans.stream().filter(p -> !p.upToDate()).flatMap(p -> p.blobs().stream())
                .map(b -> b.digest()).distinct().count();
        log.info(request.label() + ": " + planned + " images planned, " + toCopy + " to copy with " + distinct
                + " distinct blobs, " + (plans.size() - toCopy) + " already up to date, "
                + (planned - plans.size()) + " not copyable");
    }

    private PlanOutcome plan(ImagePlanner planner, ImageReference image) {
        try {
            stopped.throwIfCancelled();
            return new PlanOutcome.ToCopy(planner.plan(image));
        } catch (ImagePlanner.PlatformSkipped e) {
            log.warn(e.getMessage());
            return new PlanOutcome.Settled(ImageResult.skipped(planner.describeSource(image), planner.describeDestination(image), e.getMessage()));
        } catch (IOException | RuntimeException e) {
            return new PlanOutcome.Settled(ImageResult.failed(planner.describeSource(image), planner.describeDestination(image), reason(e)));
        }
    }

    /**
     * Waits for one image, polling so that a cancellation is noticed promptly even while transfers block.
     *
     * @param failure what the image's failure to finish (its exception, or a cancellation) is as a {@code T}
     */
    private <T> T await(CompletableFuture<T> future, ImageReference image, CopyRequest request, ExecutorService pool,
                        Function<ImageResult, T> failure) {
        while (true) {
            if (cancellation.isCancelled()) {
                return afterCancel(future, image, request, pool, failure);
            }
            try {
                return future.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // still running: look at the cancellation again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                pool.shutdownNow();
                return failure.apply(cancelled(image, request));
            } catch (ExecutionException e) {
                return failure.apply(ImageResult.failed(image.toString(), request.locations().dest(), reason(e)));
            }
        }
    }

    /**
     * Interrupts every transfer and gives running ones a moment to abandon their temporary files; an
     * image whose work was still queued or running reports that it was cancelled.
     */
    private <T> T afterCancel(CompletableFuture<T> future, ImageReference image, CopyRequest request, ExecutorService pool,
                              Function<ImageResult, T> failure) {
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
        return failure.apply(cancelled(image, request));
    }

    private static ImageResult cancelled(ImageReference image, CopyRequest request) {
        return ImageResult.failed(image.toString(), request.locations().dest(), "cancelled before it finished");
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

    /** The threads of one copy: one per transfer slot, so that small transfers are not queued behind large ones. */
    private static ExecutorService pool(CopyRequest request) {
        return Executors.newFixedThreadPool(TransferSlots.threads(request.options().concurrency()), threads(request.label()));
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
