package dev.stevedore.image.registry.http;

import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

/**
 * A request body that fails the request when the connection takes no data for {@code idleTimeout}: the
 * upload counterpart of {@link IdleTimeoutBodySubscriber}. Uploads get no request timeout (a large blob
 * takes as long as it takes), so without this a registry or middlebox that stops reading leaves the push
 * hanging for as long as TCP keeps the connection. Once the whole body is handed over, the wait for the
 * response is not bounded here: the registry may need a while to hash a large blob.
 *
 * <p>The watch is a check scheduled on the JDK's shared delayer, which keeps it until it is due, up to
 * {@code idleTimeout} after the upload ended. So an upload that ends lets go of everything it used (the
 * HTTP client's side, and {@link #stalled()} with its waiter, the response, and the cancellation's
 * exception and stack trace, about 1.5 KB): a push of thousands of blobs within one timeout must not
 * keep thousands of responses and their buffers, nor a stack trace per upload.
 */
public final class IdleTimeoutBodyPublisher implements HttpRequest.BodyPublisher {

    private final HttpRequest.BodyPublisher delegate;
    private final Duration idleTimeout;
    private final CompletableFuture<HttpTimeoutException> stalled = new CompletableFuture<>();

    private IdleTimeoutBodyPublisher(HttpRequest.BodyPublisher delegate, Duration idleTimeout) {
        this.delegate = delegate;
        this.idleTimeout = idleTimeout;
    }

    public static IdleTimeoutBodyPublisher wrap(HttpRequest.BodyPublisher delegate, Duration idleTimeout) {
        return new IdleTimeoutBodyPublisher(delegate, idleTimeout);
    }

    /**
     * Completes when the body stalled. The sender must then give up on the response itself: the JDK client
     * queues the body's error behind the data the blocked socket cannot take, so it would wait as long.
     * Cancelled once the body can no longer stall (handed over, failed or cancelled), which drops whatever
     * was waiting on it.
     */
    public CompletableFuture<HttpTimeoutException> stalled() {
        return stalled;
    }

    @Override
    public long contentLength() {
        return delegate.contentLength();
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        delegate.subscribe(new Guard(subscriber, idleTimeout, stalled));
    }

    /**
     * Passes the body on and watches the time since the HTTP client last took a buffer. Static, and it
     * drops its references when the body ends, because the scheduled check keeps it alive until it is due.
     */
    private static final class Guard implements Flow.Subscriber<ByteBuffer> {
        private final Duration idleTimeout;
        private CompletableFuture<HttpTimeoutException> stalled;
        private Flow.Subscriber<? super ByteBuffer> downstream;
        private Flow.Subscription upstream;
        private long lastProgress;
        private boolean done;

        Guard(Flow.Subscriber<? super ByteBuffer> downstream, Duration idleTimeout, CompletableFuture<HttpTimeoutException> stalled) {
            this.downstream = downstream;
            this.idleTimeout = idleTimeout;
            this.stalled = stalled;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            Flow.Subscriber<? super ByteBuffer> target;
            synchronized (this) {
                upstream = subscription;
                lastProgress = System.nanoTime();
                target = downstream;
            }
            target.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                    subscription.request(n);
                }

                @Override
                public void cancel() {
                    // The client stopped sending (the registry answered early): nothing left to watch.
                    synchronized (Guard.this) {
                        end();
                    }
                    subscription.cancel();
                }
            });
            scheduleCheck(idleTimeout.toNanos());
        }

        @Override
        public synchronized void onNext(ByteBuffer item) {
            if (!done) {
                lastProgress = System.nanoTime();
                downstream.onNext(item);
            }
        }

        @Override
        public synchronized void onError(Throwable failure) {
            if (!done) {
                downstream.onError(failure);
                end();
            }
        }

        @Override
        public synchronized void onComplete() {
            if (!done) {
                downstream.onComplete();
                end();
            }
        }

        /** Called holding the lock: no more checks, and nothing of the exchange kept for the pending one. */
        private void end() {
            done = true;
            downstream = null;
            upstream = null;
            stalled.cancel(false);
            stalled = null;
        }

        private void scheduleCheck(long delayNanos) {
            // The JDK's shared delayer thread: no thread of our own to start or stop per request.
            CompletableFuture.runAsync(this::check, CompletableFuture.delayedExecutor(Math.max(1, delayNanos), TimeUnit.NANOSECONDS));
        }

        private void check() {
            long idle;
            synchronized (this) {
                if (done) {
                    return;
                }
                idle = System.nanoTime() - lastProgress;
                if (idle >= idleTimeout.toNanos()) {
                    HttpTimeoutException stall = new HttpTimeoutException("the upload stalled: the connection took no data for "
                            + idleTimeout.toMillis() + " ms");
                    Flow.Subscription source = upstream;
                    Flow.Subscriber<? super ByteBuffer> target = downstream;
                    // Completed before anything else: the client answers the error by cancelling the body,
                    // and the end() that follows must find the stall already reported, not cancel its report.
                    stalled.complete(stall);
                    end();
                    source.cancel();
                    target.onError(stall);
                    return;
                }
            }
            scheduleCheck(idleTimeout.toNanos() - idle);
        }
    }
}
