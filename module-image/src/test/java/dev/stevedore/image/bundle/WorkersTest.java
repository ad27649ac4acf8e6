package dev.stevedore.image.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class WorkersTest {

    @Test
    void resultsComeInTheItemsOrderWhateverOrderTheWorkEnds() throws Exception {
        List<Integer> items = IntStream.range(0, 50).boxed().toList();
        List<String> results = Workers.map(items, 4, "test", item -> {
            try {
                Thread.sleep((50 - item) % 7); // later items often end first
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            return "item " + item;
        });
        assertEquals(items.stream().map(item -> "item " + item).toList(), results);
    }

    @Test
    void runsOnAtMostTheGivenThreadsAndAtOnce() throws Exception {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        CountDownLatch bothRunning = new CountDownLatch(2);
        Workers.map(IntStream.range(0, 20).boxed().toList(), 2, "reader", item -> {
            threads.add(Thread.currentThread().getName());
            bothRunning.countDown();
            try {
                // Each waits for the other once: two threads were at work together, not one after the other.
                assertTrue(bothRunning.await(10, TimeUnit.SECONDS), "the second thread never started");
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            return item;
        });
        assertEquals(Set.of("reader-1", "reader-2"), threads);
    }

    @Test
    void theFirstFailureInTheItemsOrderIsThrownAfterEveryItemRan() {
        IOException second = new IOException("item 2 failed");
        IOException fifth = new IOException("item 5 failed");
        AtomicInteger ran = new AtomicInteger();
        IOException thrown = assertThrows(IOException.class, () -> Workers.map(IntStream.range(0, 8).boxed().toList(), 3, "test",
                item -> {
                    ran.incrementAndGet();
                    if (item == 5) {
                        throw fifth;
                    }
                    if (item == 2) {
                        throw second;
                    }
                    return item;
                }));
        assertSame(second, thrown);
        assertEquals(8, ran.get());
    }

    @Test
    void noItemsNeedNoThreads() throws Exception {
        assertEquals(List.of(), Workers.map(List.<String>of(), 2, "test", item -> {
            throw new AssertionError("no work for no items");
        }));
        assertThrows(IllegalArgumentException.class, () -> Workers.map(List.of(1), 0, "test", item -> item));
    }
}
