package dev.stevedore.image.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.reference.Digest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The task's {@code concurrency} large transfers at once, four times as many small ones, and one at a time
 * for {@code concurrency: 1}. Each transfer waits
 * at a barrier for as many others as the bound should let in: fewer let in and the barrier times out, more
 * and the count of transfers inside passes the bound.
 */
class TransferSlotsTest {

    private static final Descriptor LARGE = blob(TransferSlots.LARGE);
    private static final Descriptor SMALL = blob(TransferSlots.LARGE - 1);

    @Test
    void concurrencyLargeBlobsAtOnce() throws Exception {
        assertEquals(2, maxInside(2, List.of(LARGE, LARGE, LARGE, LARGE, LARGE, LARGE), 2));
    }

    @Test
    void fourTimesAsManySmallBlobsAtOnce() throws Exception {
        assertEquals(8, maxInside(2, List.of(SMALL, SMALL, SMALL, SMALL, SMALL, SMALL, SMALL, SMALL,
                SMALL, SMALL, SMALL, SMALL, SMALL, SMALL, SMALL, SMALL), 8));
    }

    @Test
    void concurrencyOneIsOneTransferAtATimeWhateverItsSize() throws Exception {
        assertEquals(1, maxInside(1, List.of(SMALL, SMALL, SMALL, LARGE, SMALL), 1));
    }

    /** Runs the transfers on a thread each, the first {@code together} meeting inside; the most inside at once. */
    private static int maxInside(int concurrency, List<Descriptor> blobs, int together) throws Exception {
        TransferSlots slots = new TransferSlots(concurrency);
        CyclicBarrier barrier = new CyclicBarrier(together);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger max = new AtomicInteger();
        AtomicInteger met = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(blobs.size());
        try {
            List<Future<Object>> done = new ArrayList<>();
            for (Descriptor blob : blobs) {
                done.add(threads.submit(() -> slots.run(blob, () -> {
                    max.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    try {
                        // Only the first group meets; the rest pass through, each still counted while inside.
                        if (met.getAndIncrement() < together) {
                            barrier.await(10, TimeUnit.SECONDS);
                        }
                    } catch (Exception e) {
                        throw new AssertionError("fewer than " + together + " transfers were let in at once", e);
                    } finally {
                        inside.decrementAndGet();
                    }
                    return null;
                })));
            }
            for (Future<Object> future : done) {
                future.get(20, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
        return max.get();
    }

    private static Descriptor blob(long size) {
        return new Descriptor("application/octet-stream", Digest.sha256Of(new byte[] {(byte) size}), size);
    }
}
