package dev.stevedore.image.store;

import dev.stevedore.image.error.ImageException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Changes to one file that is rewritten whole, applied in batches (a database's group commit): a change that
 * arrives while another thread writes waits for that write to end, and then one of the waiting threads writes
 * every change that waited, in one write. {@link #submit} returns only once a write holding the change is done,
 * or throws that write's failure, so a caller sees what it saw when every change was written alone.
 *
 * <p>Why: an OCI layout's {@code index.json} names every image, so each tag rewrote a file that grows with the
 * images, and a task tagging N images wrote about N²/2 entries (3 GB at 5,000 images). A write that takes longer
 * gathers more changes for the next, so the number of writes falls as the file grows.
 *
 * @param <E> one change
 */
final class GroupCommit<E> {

    /** Writes the file with every change of {@code batch} applied, in order; the later of two changes to one entry wins. */
    @FunctionalInterface
    interface Writer<E> {
        void write(List<E> batch) throws IOException;
    }

    /** One change and, once a write took it, how that write ended. Guarded by the instance's lock. */
    private static final class Request<E> {
        final E change;
        boolean done;
        IOException failure;

        Request(E change) {
            this.change = change;
        }
    }

    private final Writer<E> writer;
    private final Object lock = new Object();
    private List<Request<E>> waiting = new ArrayList<>(); // guarded by lock
    private boolean writing; // guarded by lock

    GroupCommit(Writer<E> writer) {
        this.writer = writer;
    }

    /** Applies {@code change} with the others waiting, and returns once it is written. */
    void submit(E change) throws IOException {
        Request<E> mine = new Request<>(change);
        List<Request<E>> batch;
        synchronized (lock) {
            waiting.add(mine);
            while (writing && !mine.done) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    // A change no write has taken yet is withdrawn; one a write holds may still land.
                    waiting.remove(mine);
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting to write " + change);
                }
            }
            if (mine.done) {
                if (mine.failure != null) {
                    throw copyFor(mine.failure);
                }
                return;
            }
            writing = true;
            batch = waiting;
            waiting = new ArrayList<>();
        }
        IOException failure = null;
        try {
            writer.write(batch.stream().map(request -> request.change).toList());
        } catch (IOException e) {
            failure = e;
            throw e;
        } catch (RuntimeException | Error e) {
            failure = new IOException("writing the batch failed: " + e, e);
            throw e;
        } finally {
            synchronized (lock) {
                for (Request<E> request : batch) {
                    request.done = true;
                    request.failure = failure;
                }
                writing = false;
                lock.notifyAll();
            }
        }
    }

    /** Another thread's failure, as this thread's own exception, so that no one instance is thrown by several. */
    private static IOException copyFor(IOException failure) {
        return failure instanceof ImageException ? new ImageException(failure.getMessage(), failure)
                : new IOException(failure.getMessage(), failure);
    }
}
