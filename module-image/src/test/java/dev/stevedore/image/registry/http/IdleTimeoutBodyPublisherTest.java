package dev.stevedore.image.registry.http;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What an upload's stall watch keeps once the body has been handed over. The watch stays scheduled on
 * the JDK's shared delayer until its timeout is due, so whatever it still reaches then lives for the read
 * timeout after the upload: a push of thousands of small blobs within one timeout held a cancelled
 * {@code stalled()} future per upload, with its exception and stack trace (about 1.5 KB each).
 */
class IdleTimeoutBodyPublisherTest {

    @Test
    void aFinishedBodyLeavesNothingOfTheUploadToTheScheduledWatch() throws Exception {
        WeakReference<CompletableFuture<?>> stalled = sendOneBody();

        for (int i = 0; i < 50 && stalled.get() != null; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertNull(stalled.get(), "the stall watch, still scheduled for an hour, keeps the finished upload's stalled() future");
    }

    /** Hands a body over to a subscriber that takes all of it; returns a weak reference to its stall future. */
    private static WeakReference<CompletableFuture<?>> sendOneBody() throws InterruptedException {
        IdleTimeoutBodyPublisher body = IdleTimeoutBodyPublisher.wrap(HttpRequest.BodyPublishers.ofByteArray(new byte[1024]),
                Duration.ofHours(1));
        CountDownLatch complete = new CountDownLatch(1);
        body.subscribe(new Flow.Subscriber<ByteBuffer>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ByteBuffer item) {
                // taken, as the HTTP client takes it
            }

            @Override
            public void onError(Throwable failure) {
                // not expected; the latch then stays closed and the assertion below fails
            }

            @Override
            public void onComplete() {
                complete.countDown();
            }
        });
        assertTrue(complete.await(10, TimeUnit.SECONDS), "the body was handed over");
        assertTrue(body.stalled().isCancelled(), "a body handed over can no longer stall");
        return new WeakReference<>(body.stalled());
    }
}
