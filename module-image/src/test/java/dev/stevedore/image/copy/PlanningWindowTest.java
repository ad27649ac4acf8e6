package dev.stevedore.image.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.spi.Cancellation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PlanningWindowTest {

    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private final ExecutorService copies = Executors.newFixedThreadPool(8);
    private final AtomicInteger underWay = new AtomicInteger();
    private final AtomicInteger mostUnderWay = new AtomicInteger();

    @AfterEach
    void stop() {
        pool.shutdownNow();
        copies.shutdownNow();
    }

    private static List<ImageReference> images(int count) {
        List<ImageReference> images = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            images.add(ImageReference.parse("example.com/app" + i + ":1"));
        }
        return images;
    }

    /** Counts the image under way from its planning on; its copy ends on another pool, a few milliseconds later. */
    private PlanOutcome plan(ImageReference image) {
        mostUnderWay.accumulateAndGet(underWay.incrementAndGet(), Math::max);
        return new PlanOutcome.Settled(ImageResult.skipped(image.toString(), "dest", "planned"));
    }

    private CompletableFuture<ImageResult> copy(PlanOutcome outcome) {
        return CompletableFuture.supplyAsync(() -> {
            sleep(3);
            underWay.decrementAndGet();
            return ((PlanOutcome.Settled) outcome).result();
        }, copies);
    }

    @Test
    void noMoreImagesArePlannedOrCopyingAtOnceThanTheWindowHoldsAndResultsKeepTheImagesOrder() {
        List<ImageReference> images = images(60);
        List<CompletableFuture<ImageResult>> results = new PlanningWindow(5, Cancellation.NEVER, pool)
                .run(images, this::plan, this::copy);
        assertEquals(60, results.size());
        for (int i = 0; i < images.size(); i++) {
            assertEquals(images.get(i).toString(), results.get(i).join().source());
        }
        assertTrue(mostUnderWay.get() <= 5, mostUnderWay.get() + " images under way at once");
        assertTrue(mostUnderWay.get() >= 2, "images overlap: " + mostUnderWay.get());
    }

    @Test
    void aCancelledCopyStopsPlanningAndReturnsOnlyTheImagesItStarted() throws Exception {
        AtomicBoolean cancelled = new AtomicBoolean();
        CompletableFuture<ImageResult> never = new CompletableFuture<>();
        CompletableFuture<List<CompletableFuture<ImageResult>>> run = CompletableFuture.supplyAsync(() ->
                new PlanningWindow(3, cancellation(cancelled), pool).run(images(10), this::plan, outcome -> never));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (underWay.get() < 3 && System.nanoTime() < deadline) {
            sleep(5);
        }
        sleep(200); // room for a fourth plan, were the window not full
        assertEquals(3, underWay.get(), "the window is full and no copy ends");
        assertTrue(!run.isDone(), "waits for room");
        cancelled.set(true);
        assertEquals(3, run.get(5, TimeUnit.SECONDS).size());
    }

    @Test
    void theWindowIsThirtyTwoImagesForEachThreadOfThePool() {
        assertEquals(32, PlanningWindow.sizeFor(1));
        assertEquals(1024, PlanningWindow.sizeFor(TransferSlots.threads(8)));
    }

    private static Cancellation cancellation(AtomicBoolean cancelled) {
        return new Cancellation() {
            @Override public boolean isCancelled() { return cancelled.get(); }
            @Override public Registration onCancel(Runnable action) { return Registration.NONE; }
        };
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
