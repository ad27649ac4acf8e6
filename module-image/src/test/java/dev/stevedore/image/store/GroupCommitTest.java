package dev.stevedore.image.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.image.error.ImageException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GroupCommitTest {

    /** A file that records each write's batch; a write of a batch holding {@code blockOn} waits for {@link #release}. */
    private static final class RecordingFile implements GroupCommit.Writer<String> {
        final List<List<String>> writes = new CopyOnWriteArrayList<>();
        final Set<String> written = ConcurrentHashMap.newKeySet();
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final String blockOn;
        volatile String failOn = "";

        RecordingFile(String blockOn) {
            this.blockOn = blockOn;
        }

        @Override
        public void write(List<String> batch) throws IOException {
            if (batch.contains(blockOn)) {
                started.countDown();
                try {
                    assertTrue(release.await(10, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
            if (batch.contains(failOn)) {
                throw new ImageException("the disk is full");
            }
            writes.add(List.copyOf(batch));
            written.addAll(batch);
        }
    }

    /** Submits {@code change} on a thread of its own; what it threw, if anything, lands in {@code failures}. */
    private static Thread submitting(GroupCommit<String> commit, RecordingFile file, String change, Map<String, Throwable> failures) {
        Thread thread = new Thread(() -> {
            try {
                commit.submit(change);
                if (!file.written.contains(change)) {
                    failures.put(change, new AssertionError(change + " returned before a write held it"));
                }
            } catch (Throwable t) {
                failures.put(change, t);
            }
        }, "submit-" + change);
        thread.start();
        return thread;
    }

    private static void awaitWaiting(Thread... threads) throws InterruptedException {
        for (Thread thread : threads) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (thread.getState() != Thread.State.WAITING) {
                assertTrue(System.nanoTime() < deadline, thread.getName() + " never waited: " + thread.getState());
                Thread.sleep(1);
            }
        }
    }

    @Test
    void changesThatArriveDuringAWriteAreWrittenTogetherByTheNextOne() throws Exception {
        RecordingFile file = new RecordingFile("a");
        GroupCommit<String> commit = new GroupCommit<>(file);
        Map<String, Throwable> failures = new ConcurrentHashMap<>();

        Thread first = submitting(commit, file, "a", failures);
        assertTrue(file.started.await(10, TimeUnit.SECONDS));
        List<Thread> later = new ArrayList<>();
        for (String change : List.of("b", "c", "d", "e")) {
            later.add(submitting(commit, file, change, failures));
        }
        awaitWaiting(later.toArray(Thread[]::new));
        file.release.countDown();
        first.join();
        for (Thread thread : later) {
            thread.join();
        }

        assertEquals(Map.of(), failures);
        assertEquals(2, file.writes.size(), "one write for the first change, one for the four that waited: " + file.writes);
        assertEquals(List.of("a"), file.writes.get(0));
        assertEquals(Set.of("b", "c", "d", "e"), new HashSet<>(file.writes.get(1)));
    }

    @Test
    void aFailedWriteFailsEveryChangeItHeldAndTheNextChangeIsWrittenAnew() throws Exception {
        RecordingFile file = new RecordingFile("a");
        file.failOn = "c";
        GroupCommit<String> commit = new GroupCommit<>(file);
        Map<String, Throwable> failures = new ConcurrentHashMap<>();

        Thread first = submitting(commit, file, "a", failures);
        assertTrue(file.started.await(10, TimeUnit.SECONDS));
        Thread b = submitting(commit, file, "b", failures);
        Thread c = submitting(commit, file, "c", failures);
        awaitWaiting(b, c);
        file.release.countDown();
        for (Thread thread : List.of(first, b, c)) {
            thread.join();
        }

        assertEquals(Set.of("b", "c"), failures.keySet(), "the batch of b and c failed, a's write did not");
        assertInstanceOf(ImageException.class, failures.get("b"));
        assertEquals("the disk is full", failures.get("b").getMessage());
        assertNotSame(failures.get("b"), failures.get("c"), "each thread throws an exception of its own");
        Throwable original = failures.get("b").getCause() != null ? failures.get("b").getCause() : failures.get("c").getCause();
        assertSame(ImageException.class, original.getClass());

        commit.submit("f");
        assertEquals(List.of(List.of("a"), List.of("f")), file.writes, "the failure left no writer behind");
    }

    @Test
    void aChangeWithdrawnByInterruptionBeforeAnyWriteTookItIsNotWritten() throws Exception {
        RecordingFile file = new RecordingFile("a");
        GroupCommit<String> commit = new GroupCommit<>(file);
        Map<String, Throwable> failures = new ConcurrentHashMap<>();

        Thread first = submitting(commit, file, "a", failures);
        assertTrue(file.started.await(10, TimeUnit.SECONDS));
        Thread b = submitting(commit, file, "b", failures);
        awaitWaiting(b);
        b.interrupt();
        b.join();
        file.release.countDown();
        first.join();
        commit.submit("c");

        assertEquals(Set.of("b"), failures.keySet());
        assertInstanceOf(InterruptedIOException.class, failures.get("b"));
        assertEquals(List.of(List.of("a"), List.of("c")), file.writes);
    }
}
