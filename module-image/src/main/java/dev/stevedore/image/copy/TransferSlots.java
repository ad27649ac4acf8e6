package dev.stevedore.image.copy;

import dev.stevedore.image.oci.Descriptor;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.Semaphore;

/**
 * How many blob transfers of a copy are in flight at once, by size: the task's {@code concurrency} large
 * blobs ({@value #LARGE} bytes and more), or {@value #SMALL_PER_LARGE} times as many small ones, or a mix.
 *
 * <p>Over a wide-area link each request leaves the link idle for a round trip; keeping it busy takes a
 * round trip's worth of bytes in flight (1.25 MB at 50 ms and 200 Mbit/s). Eight large blobs do that,
 * eight small ones leave most of it idle (BENCHMARKS.md: W2 through such a link pulls and pushes in about
 * half the time at 32 in flight, where W1's large blobs gain nothing). A large transfer holds
 * {@value #SMALL_PER_LARGE} slots, a small one one, so a run of only large blobs is bound as before.
 * The copier's pool has a thread for each slot, which also lets the manifests of its planning phase go
 * {@value #SMALL_PER_LARGE} times as wide. {@code concurrency: 1} stays one transfer at a time, whatever
 * its size: the way to go easy on a registry, and to see the requests one after the other.
 */
final class TransferSlots {

    /** A blob this large fills a good part of a long link's round trip alone. */
    static final long LARGE = 1024 * 1024;
    static final int SMALL_PER_LARGE = 4;

    private final Semaphore slots;
    private final int largeWeight;

    /** @param concurrency the task's {@code concurrency}: the large transfers in flight at once */
    TransferSlots(int concurrency) {
        this.largeWeight = smallPerLarge(concurrency);
        // Fair, so a large blob waiting for its slots is not passed for ever by small ones.
        this.slots = new Semaphore(threads(concurrency), true);
    }

    /** The threads a copy needs for its slots: one for each, so that every slot can be in use. */
    static int threads(int concurrency) {
        return Math.multiplyExact(concurrency, smallPerLarge(concurrency));
    }

    private static int smallPerLarge(int concurrency) {
        return concurrency == 1 ? 1 : SMALL_PER_LARGE;
    }

    /** A transfer that may do I/O. */
    interface Transfer<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code transfer} of {@code blob} in its slots. Only the I/O holds them, never a wait for another
     * image's transfer of the same blob, so every holder makes progress and the pool cannot deadlock.
     */
    <T> T run(Descriptor blob, Transfer<T> transfer) throws IOException {
        int weight = blob.size() >= LARGE ? largeWeight : 1;
        try {
            slots.acquire(weight);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("the copy was cancelled");
        }
        try {
            return transfer.run();
        } finally {
            slots.release(weight);
        }
    }
}
