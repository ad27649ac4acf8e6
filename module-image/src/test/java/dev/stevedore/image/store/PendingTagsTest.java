package dev.stevedore.image.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.oci.MediaTypes;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.ImageReference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PendingTagsTest {

    private final AtomicLong now = new AtomicLong();
    private final List<Map<ImageReference, Descriptor>> writes = new CopyOnWriteArrayList<>();

    private static ImageReference name(String name) {
        return ImageReference.parse("example.com/" + name + ":v1");
    }

    private static Descriptor manifest(String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        return new Descriptor(MediaTypes.OCI_MANIFEST, Digest.sha256Of(bytes), bytes.length);
    }

    private PendingTags recording(PendingTags.IndexWriter around) {
        return new PendingTags(names -> {
            around.write(names);
            writes.add(Map.copyOf(names));
        }, now::get, Duration.ofSeconds(1));
    }

    private void at(long millis) {
        now.set(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    @Test
    void theFirstTagIsWrittenAtOnceLaterOnesOnceAnIntervalHasPassedAndTheRestAtTheEnd() throws IOException {
        PendingTags tags = recording(names -> { });
        at(0);
        tags.add(name("a"), manifest("a"));
        assertEquals(List.of(Map.of(name("a"), manifest("a"))), writes, "a single tag is in the index at once");

        at(400);
        tags.add(name("b"), manifest("b"));
        at(900);
        tags.add(name("c"), manifest("c"));
        assertEquals(1, writes.size(), "within the interval nothing is written");
        assertEquals(Optional.of(manifest("b")), tags.get(name("b")), "the store answers with what waits");
        assertEquals(Set.of(name("b"), name("c")), tags.names());

        at(1000);
        tags.add(name("d"), manifest("d"));
        assertEquals(Map.of(name("b"), manifest("b"), name("c"), manifest("c"), name("d"), manifest("d")), writes.get(1));
        assertEquals(Set.of(), tags.names());

        at(1100);
        tags.add(name("e"), manifest("e"));
        tags.writeAll();
        tags.writeAll();
        assertEquals(List.of(Map.of(name("e"), manifest("e"))), writes.subList(2, writes.size()), "the end writes the rest, once");
    }

    @Test
    void aRetagReplacesTheWaitingDescriptorAndMovesLast() throws IOException {
        List<List<ImageReference>> order = new ArrayList<>();
        PendingTags tags = recording(names -> order.add(List.copyOf(names.keySet())));
        at(0);
        tags.add(name("first"), manifest("first"));
        at(10);
        tags.add(name("a"), manifest("old"));
        tags.add(name("b"), manifest("b"));
        tags.add(name("a"), manifest("new"));
        tags.writeAll();

        assertEquals(List.of(name("b"), name("a")), order.get(1));
        assertEquals(manifest("new"), writes.get(1).get(name("a")));
    }

    @Test
    void aFailedWriteKeepsItsTagsForTheNext() throws IOException {
        IOException full = new IOException("No space left on device");
        boolean[] fail = {true};
        PendingTags tags = recording(names -> {
            if (fail[0]) {
                throw full;
            }
        });
        at(0);
        assertSame(full, assertThrows(IOException.class, () -> tags.add(name("a"), manifest("a"))));
        assertEquals(Set.of(name("a")), tags.names(), "the tag still waits, and the store still answers with it");

        fail[0] = false;
        tags.writeAll();
        assertEquals(List.of(Map.of(name("a"), manifest("a"))), writes);
        assertEquals(Set.of(), tags.names());
    }

    @Test
    void tagsGivenDuringAWriteWaitForTheNextEvenARetagOfANameBeingWritten() throws Exception {
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        PendingTags tags = recording(names -> {
            if (writes.isEmpty()) {
                writing.countDown();
                try {
                    assertTrue(release.await(10, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
        });
        at(0);
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> {
            try {
                tags.add(name("a"), manifest("old"));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        assertTrue(writing.await(10, TimeUnit.SECONDS));
        at(5000);
        tags.add(name("b"), manifest("b")); // due, but a write is under way: it returns without waiting
        tags.add(name("a"), manifest("new"));
        release.countDown();
        first.get(10, TimeUnit.SECONDS);

        assertEquals(List.of(Map.of(name("a"), manifest("old"))), writes);
        assertEquals(Set.of(name("a"), name("b")), tags.names(), "the retag is newer than what was written, so it still waits");
        assertEquals(Optional.of(manifest("new")), tags.get(name("a")));
        tags.writeAll();
        assertEquals(Map.of(name("a"), manifest("new"), name("b"), manifest("b")), writes.get(1));
    }
}
