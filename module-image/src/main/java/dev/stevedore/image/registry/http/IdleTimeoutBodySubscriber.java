package dev.stevedore.image.registry.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A response body as an InputStream whose reads fail when no data arrives for {@code idleTimeout}.
 * The JDK's {@code ofInputStream()} blocks forever on a stalled transfer, and a request timeout would
 * bound the whole transfer, which is wrong for large blobs. Demand is one buffer list at a time, so
 * memory stays bounded whatever the body size.
 *
 * <p>Closing the stream first reads what is left of the body to its end, if that is little
 * ({@value #MAX_DRAINED} bytes at most) and arrives soon: the JDK's client drops the connection of a body
 * closed before its end was delivered, which the empty bodies of HEAD, 201 and 202 answers race to be,
 * and each new connection costs a handshake (a round trip, over TLS more). A larger rest is cut off.
 */
public final class IdleTimeoutBodySubscriber implements HttpResponse.BodySubscriber<InputStream> {

    private static final Object END = new Object();
    /** A rest worth reading rather than a new connection: an error document's size, far below a round trip's worth. */
    static final int MAX_DRAINED = 64 * 1024;
    /** How long a close waits for the rest of the body; an end that takes longer is not worth the wait. */
    private static final Duration MAX_DRAIN_WAIT = Duration.ofSeconds(1);

    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final CompletableFuture<Flow.Subscription> subscription = new CompletableFuture<>();
    private final Duration idleTimeout;

    public IdleTimeoutBodySubscriber(Duration idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    public static HttpResponse.BodyHandler<InputStream> handler(Duration idleTimeout) {
        return info -> new IdleTimeoutBodySubscriber(idleTimeout);
    }

    @Override
    public CompletionStage<InputStream> getBody() {
        return CompletableFuture.completedFuture(new Stream());
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        if (!subscription.complete(s)) {
            s.cancel();
            return;
        }
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        queue.add(item);
    }

    @Override
    public void onError(Throwable throwable) {
        queue.add(throwable);
    }

    @Override
    public void onComplete() {
        queue.add(END);
    }

    private final class Stream extends InputStream {
        private Iterator<ByteBuffer> buffers = List.<ByteBuffer>of().iterator();
        private ByteBuffer current = ByteBuffer.allocate(0);
        private boolean done;
        private boolean closed;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] target, int offset, int length) throws IOException {
            if (closed) {
                throw new IOException("stream closed");
            }
            if (length == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(length, current.remaining());
            current.get(target, offset, n);
            return n;
        }

        @Override
        public int available() {
            return current.remaining();
        }

        /** Makes {@code current} non-empty, or returns false at the end of the body. */
        private boolean fill() throws IOException {
            while (!current.hasRemaining()) {
                if (buffers.hasNext()) {
                    current = buffers.next();
                    continue;
                }
                if (done) {
                    return false;
                }
                Object next = poll();
                if (next == END) {
                    done = true;
                    return false;
                }
                if (next instanceof Throwable failure) {
                    done = true;
                    throw failure instanceof IOException io ? io : new IOException(failure.getMessage(), failure);
                }
                @SuppressWarnings("unchecked")
                List<ByteBuffer> list = (List<ByteBuffer>) next;
                buffers = list.iterator();
                subscription.join().request(1);
            }
            return true;
        }

        private Object poll() throws IOException {
            try {
                Object next = queue.poll(idleTimeout.toMillis(), TimeUnit.MILLISECONDS);
                if (next == null) {
                    abort();
                    throw new HttpTimeoutException("no data received for " + idleTimeout.toSeconds() + " s; the transfer stalled");
                }
                return next;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading a response body");
            }
        }

        @Override
        public void close() {
            if (!closed && !done && !Thread.currentThread().isInterrupted()) {
                readRestIfSmall();
            }
            abort();
        }

        /** Reads the rest of the body to its end while it stays small and keeps arriving, then lets go of it. */
        private void readRestIfSmall() {
            long deadline = System.nanoTime() + Math.min(idleTimeout.toNanos(), MAX_DRAIN_WAIT.toNanos());
            long left = MAX_DRAINED - current.remaining();
            try {
                while (true) {
                    while (buffers.hasNext()) {
                        left -= buffers.next().remaining();
                    }
                    long wait = deadline - System.nanoTime();
                    if (left < 0 || wait <= 0) {
                        return;
                    }
                    Object next = queue.poll(wait, TimeUnit.NANOSECONDS);
                    if (!(next instanceof List<?> list)) {
                        done = next != null; // the end, or a failure: nothing more comes
                        return;
                    }
                    @SuppressWarnings("unchecked")
                    List<ByteBuffer> received = (List<ByteBuffer>) list;
                    buffers = received.iterator();
                    subscription.join().request(1);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Stops the transfer where it is; the client drops the connection unless the body had ended. */
        private void abort() {
            if (!closed) {
                closed = true;
                if (!done) {
                    // After the end there is nothing to stop; the JDK's cancel would only build an exception.
                    subscription.thenAccept(Flow.Subscription::cancel);
                }
                // Whoever still holds the response (a retry's bookkeeping, say) must not keep its buffers.
                queue.clear();
                buffers = List.<ByteBuffer>of().iterator();
                current = ByteBuffer.allocate(0);
            }
        }
    }
}
