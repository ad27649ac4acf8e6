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
        delegate.subscribe(new Guard(subscriber));
    }

    /** Passes the body on and watches the time since the HTTP client last took a buffer. */
    private final class Guard implements Flow.Subscriber<ByteBuffer> {
        private final Flow.Subscriber<? super ByteBuffer> downstream;
        private Flow.Subscription upstream;
        private long lastProgress;
        private boolean done;

        Guard(Flow.Subscriber<? super ByteBuffer> downstream) {
            this.downstream = downstream;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            synchronized (this) {
                upstream = subscription;
                lastProgress = System.nanoTime();
            }
            downstream.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                    subscription.request(n);
                }

                @Override
                public void cancel() {
                    // The client stopped sending (the registry answered early): nothing left to watch.
                    synchronized (Guard.this) {
                        done = true;
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
                done = true;
                downstream.onError(failure);
            }
        }

        @Override
        public synchronized void onComplete() {
            if (!done) {
                done = true;
                downstream.onComplete();
            }
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
                    done = true;
                    upstream.cancel();
                    HttpTimeoutException stall = new HttpTimeoutException("the upload stalled: the connection took no data for "
                            + idleTimeout.toMillis() + " ms");
                    downstream.onError(stall);
                    stalled.complete(stall);
                    return;
                }
            }
            scheduleCheck(idleTimeout.toNanos() - idle);
        }
    }
}
