package dev.stevedore.image.copy;

import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.target.ImageTarget;
import dev.stevedore.spi.Cancellation;
import dev.stevedore.spi.Progress;
import dev.stevedore.spi.TaskLog;
import dev.stevedore.spi.Templates;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * <p>Each image is planned, then copied. Planning ({@link ImagePlanner}) resolves it (rendered
 * {@code src}/{@code dest}, manifests, platform selection, blobs) without writing anything. Its copy
 * ({@link ImageCopy}) runs its blob transfers beside those of the other images under way, on one pool, as many
 * at once as {@link TransferSlots} allows by their size, each distinct blob once per destination
 * ({@link BlobTransfers}), then writes its manifests. Images are planned while earlier ones copy, a bounded
 * number ahead ({@link PlanningWindow}); a delta bundle's copy plans every image first. One image failing
 * does not stop the others; cancellation stops every transfer promptly and reports the images that did not
 * finish.
 */
public final class Copier {

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
     * Runs one request. Failures of single images are in the results, among them the images in a destination
     * that could not be finished at the end; an exception means the request as a whole could not start (a
     * directory source that cannot be listed), or a destination could not be finished that no image was
     * written to.
     *
     * @param factory opens the request's targets, bound to its registry and store settings
     */
    public List<ImageResult> copy(CopyRequest request, Map<String, Object> hostVariables, TargetFactory factory)
            throws IOException {
        ExecutorService pool = pool(request);
        ResultDestinations written = new ResultDestinations();
        List<ImageResult> results = List.of();
        try (Targets targets = new Targets(factory, log)) {
            ImagePlanner planner = new ImagePlanner(request, templates, hostVariables, targets, log, cancellation);
            List<ImageReference> images = planner.images();
            if (images.isEmpty()) {
                return results;
            }
            Set<ImageTarget> sources = PlannedReads.announce(planner, images, targets, log, cancellation);
            BlobTransfers transfers = new BlobTransfers(cancellation, new TransferSlots(request.options().concurrency()));
            results = planner.plansEveryImageFirst(sources) ? copyAfterPlanningAll(request, planner, images, transfers, pool, written)
                    : copyWhilePlanning(request, planner, images, transfers, pool, written);
            return results;
        } catch (UnfinishedDestinationsException e) {
            // Thrown by the targets' close, after every image has its result: those in an unfinished store fail.
            return written.failIn(results, e);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The copy of most requests: each image's transfers start once it is planned, while later images are
     * planned, and no more images are under way at once than the {@link PlanningWindow} holds.
     */
    private List<ImageResult> copyWhilePlanning(CopyRequest request, ImagePlanner planner, List<ImageReference> images,
                                                BlobTransfers transfers, ExecutorService pool, ResultDestinations written) {
        PlanTally tally = new PlanTally();
        // Sized image by image, as they are planned.
        try (Progress progress = log.progress(request.label() + " images", images.size(), 0)) {
            ImageCopy copy = imageCopy(request, transfers, pool, progress);
            PlanningWindow window = new PlanningWindow(PlanningWindow.sizeFor(TransferSlots.threads(request.options().concurrency())),
                    cancellation, pool);
            List<CompletableFuture<ImageResult>> results = window.run(images, image -> plan(planner, image), outcome -> {
                tally.add(outcome);
                if (outcome instanceof PlanOutcome.ToCopy toCopy) {
                    progress.sized(toCopy.plan().totalBytes());
                    return written.track(toCopy.plan(), copy.start(toCopy.plan()));
                }
                ImageResult settled = ((PlanOutcome.Settled) outcome).result();
                progress.sized(0);
                progress.start(settled.source() + " -> " + settled.destination(), 0).finish(settled.status().text());
                return CompletableFuture.completedFuture(settled);
            });
            List<ImageResult> done = awaitAll(results, images, planner, pool);
            log.info(tally.line(request.label()));
            return done;
        }
    }

    /**
     * The copy of a delta bundle, at either end: every image is planned before any is copied, because the
     * delta's marker goes into the bundle, and a push that lacks left-out blobs stops, before any manifest
     * ({@link ImagePlanner#finishPlanning}).
     */
    private List<ImageResult> copyAfterPlanningAll(CopyRequest request, ImagePlanner planner, List<ImageReference> images,
                                                   BlobTransfers transfers, ExecutorService pool, ResultDestinations written)
            throws IOException {
        List<PlanOutcome> planned = planner.finishPlanning(planEach(planner, images, pool));
        List<ImagePlan> copies = plans(planned);
        log.info(tally(planned).line(request.label()));
        try (Progress progress = log.progress(request.label() + " images", copies.size(),
                copies.stream().mapToLong(ImagePlan::totalBytes).sum())) {
            ImageCopy copy = imageCopy(request, transfers, pool, progress);
            List<CompletableFuture<ImageResult>> results = new ArrayList<>();
            for (PlanOutcome outcome : planned) {
                results.add(outcome instanceof PlanOutcome.ToCopy toCopy
                        ? written.track(toCopy.plan(), copy.start(toCopy.plan()))
                        : CompletableFuture.completedFuture(((PlanOutcome.Settled) outcome).result()));
            }
            return awaitAll(results, images, planner, pool);
        }
    }

    private ImageCopy imageCopy(CopyRequest request, BlobTransfers transfers, ExecutorService pool, Progress progress) {
        return new ImageCopy(transfers, pool, progress, cancellation, request.options().referrers() ? new ReferrerCopy() : null,
                log::info);
    }

    /** Each image's result, in the images' order; an image with no future (the copy was cancelled first) is cancelled. */
    private List<ImageResult> awaitAll(List<CompletableFuture<ImageResult>> results, List<ImageReference> images,
                                       ImagePlanner planner, ExecutorService pool) {
        List<ImageResult> done = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            done.add(i < results.size() ? await(results.get(i), images.get(i), planner, pool, Function.identity())
                    : cancelled(images.get(i), planner));
        }
        return done;
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
            ImagePlanner planner = new ImagePlanner(request, templates, hostVariables, targets, log, cancellation);
            List<ImageReference> images = planner.images();
            PlannedReads.announce(planner, images, targets, log, cancellation);
            // As a delta's copy plans: one whose push lacks blobs stops every image (its marker's write is dropped).
            List<PlanOutcome> planned = planner.finishPlanning(planEach(planner, images, pool));
            log.info(tally(planned).line(request.label()));
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

    /** Plans every image on the pool; outcomes in the images' order. */
    private List<PlanOutcome> planEach(ImagePlanner planner, List<ImageReference> images, ExecutorService pool) {
        List<CompletableFuture<PlanOutcome>> plans = new ArrayList<>();
        for (ImageReference image : images) {
            plans.add(CompletableFuture.supplyAsync(() -> plan(planner, image), pool));
        }
        List<PlanOutcome> planned = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            planned.add(await(plans.get(i), images.get(i), planner, pool, PlanOutcome.Settled::new));
        }
        return planned;
    }

    private static List<ImagePlan> plans(List<PlanOutcome> planned) {
        return planned.stream().filter(PlanOutcome.ToCopy.class::isInstance).map(p -> ((PlanOutcome.ToCopy) p).plan()).toList();
    }

    private static PlanTally tally(List<PlanOutcome> planned) {
        PlanTally tally = new PlanTally();
        planned.forEach(tally::add);
        return tally;
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
    private <T> T await(CompletableFuture<T> future, ImageReference image, ImagePlanner planner, ExecutorService pool,
                        Function<ImageResult, T> failure) {
        while (true) {
            if (cancellation.isCancelled()) {
                return afterCancel(future, image, planner, pool, failure);
            }
            try {
                return future.get(CancellationCheck.POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // still running: look at the cancellation again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                pool.shutdownNow();
                return failure.apply(cancelled(image, planner));
            } catch (ExecutionException e) {
                return failure.apply(ImageResult.failed(planner.describeSource(image), planner.describeDestination(image),
                        reason(e)));
            }
        }
    }

    /**
     * Interrupts every transfer and gives running ones a moment to abandon their temporary files; an
     * image whose work was still queued or running reports that it was cancelled.
     */
    private <T> T afterCancel(CompletableFuture<T> future, ImageReference image, ImagePlanner planner, ExecutorService pool,
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
        return failure.apply(cancelled(image, planner));
    }

    /** An image cancelled before its plan was made: its locations rendered as a failed plan's are, not the template. */
    private static ImageResult cancelled(ImageReference image, ImagePlanner planner) {
        return ImageResult.failed(planner.describeSource(image), planner.describeDestination(image),
                "cancelled before it finished");
    }

    /** The user-facing reason of a failure, without the wrappers concurrency adds. */
    public static String reason(Throwable failure) {
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
