package dev.stevedore.image.bundle;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one piece of work per item on a few daemon threads of its own, and gives the results in the items'
 * order: the bundle's passes over every member or image (hashing, the inventory) are file reads and CPU that
 * a single thread would leave the other cores idle for.
 */
final class Workers {

    /** One item's work; it may read files. */
    @FunctionalInterface
    interface Work<T, R> {
        R apply(T item) throws IOException;
    }

    private Workers() {
    }

    /**
     * {@code work} of each item, in order, on at most {@code threads} threads named {@code name-1}, {@code name-2}, ...
     * The first failure, in the items' order, is thrown once every item has ended; an interrupt of the caller stops
     * the rest.
     */
    static <T, R> List<R> map(List<T> items, int threads, String name, Work<T, R> work) throws IOException, InterruptedException {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be positive, got " + threads);
        }
        if (items.isEmpty()) {
            return List.of();
        }
        AtomicInteger count = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, items.size()), runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<R>> futures = new ArrayList<>(items.size());
            for (T item : items) {
                futures.add(pool.submit(() -> work.apply(item)));
            }
            List<R> results = new ArrayList<>(items.size());
            IOException failure = null;
            for (Future<R> future : futures) {
                try {
                    results.add(future.get());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof IOException io)) {
                        throw new IllegalStateException(name + " failed unexpectedly: " + e.getCause(), e.getCause());
                    }
                    failure = failure == null ? io : failure;
                }
            }
            if (failure != null) {
                throw failure;
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
