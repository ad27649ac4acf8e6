package dev.stevedore.image.copy;

import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.progress.ImageProgress;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.target.BlobSource;
import dev.stevedore.image.target.ImageTarget;
import dev.stevedore.spi.Cancellation;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Moves blobs to destinations so that each distinct blob crosses the wire once per destination, however
 * many images share it, during one copy.
 *
 * <p>Two maps of futures do the bookkeeping. {@code perRepository} makes the first image needing a
 * blob in a destination repository its owner; other images of that repository wait for the owner's
 * outcome. {@code landed} remembers, per destination target, the first repository that received (or
 * already had) the blob in this run: an owner for another repository of the same target waits for it
 * and then mounts from there (a registry cross-repository mount), falling back to an upload when the
 * target cannot mount. A future is registered only by a task that is already running, so a waiter
 * always waits on running work and a bounded pool cannot deadlock.
 */
final class BlobTransfers {

    /** What happened to one blob for one image. */
    enum Outcome { COPIED, SKIPPED, MOUNTED }

    private record RepositoryKey(ImageTarget target, String repository, Digest digest) { }

    private record TargetKey(ImageTarget target, Digest digest) { }

    private final ConcurrentHashMap<RepositoryKey, CompletableFuture<Outcome>> perRepository = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<TargetKey, CompletableFuture<ImageReference>> landed = new ConcurrentHashMap<>();
    private final CancellationCheck cancellation;
    private final TransferSlots slots;

    BlobTransfers(Cancellation cancellation, TransferSlots slots) {
        this.cancellation = new CancellationCheck(cancellation);
        this.slots = slots;
    }

    /**
     * Makes {@code blob} present in the plan's destination repository. Returns what this image did:
     * {@code SKIPPED} when another image of this run already handled the blob for the same repository.
     */
    Outcome ensure(ImagePlan plan, Descriptor blob, ImageProgress progress) throws IOException {
        RepositoryKey key = new RepositoryKey(plan.destination().target(), plan.destination().reference().name(), blob.digest());
        CompletableFuture<Outcome> mine = new CompletableFuture<>();
        CompletableFuture<Outcome> owner = perRepository.putIfAbsent(key, mine);
        if (owner != null) {
            await(owner);
            progress.skipped(blob.size());
            return Outcome.SKIPPED;
        }
        try {
            Outcome outcome = transfer(plan, blob, progress);
            mine.complete(outcome);
            return outcome;
        } catch (IOException | RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        }
    }

    private Outcome transfer(ImagePlan plan, Descriptor blob, ImageProgress progress) throws IOException {
        TargetKey key = new TargetKey(plan.destination().target(), blob.digest());
        CompletableFuture<ImageReference> first = new CompletableFuture<>();
        CompletableFuture<ImageReference> earlier = landed.putIfAbsent(key, first);
        if (earlier == null) {
            try {
                Outcome outcome = slots.run(blob, () -> place(plan, blob, null, progress));
                first.complete(plan.destination().reference());
                return outcome;
            } catch (IOException | RuntimeException e) {
                first.completeExceptionally(e);
                throw e;
            }
        }
        ImageReference landedIn = landedIn(earlier);
        return slots.run(blob, () -> place(plan, blob, landedIn, progress));
    }

    /**
     * Skips a present blob, else mounts it from a repository of the same registry that has it (where an
     * earlier image of this run put it, or the source repository when copying within one registry),
     * else uploads it.
     */
    private Outcome place(ImagePlan plan, Descriptor blob, ImageReference landedIn, ImageProgress progress) throws IOException {
        cancellation.throwIfCancelled();
        ImageTarget dest = plan.destination().target();
        if (dest.hasBlob(plan.destination().reference(), blob)) {
            progress.skipped(blob.size());
            return Outcome.SKIPPED;
        }
        if (mount(plan, blob, landedIn)
                || plan.source().target() == dest && mount(plan, blob, plan.source().reference())) {
            progress.skipped(blob.size());
            return Outcome.MOUNTED;
        }
        upload(plan, blob, progress);
        return Outcome.COPIED;
    }

    private static boolean mount(ImagePlan plan, Descriptor blob, ImageReference from) throws IOException {
        return mountableFrom(plan, from) && plan.destination().target().mountBlob(plan.destination().reference(), blob, from);
    }

    /** Whether a blob in {@code from} may be mounted into the plan's destination: another repository of its registry. */
    static boolean mountableFrom(ImagePlan plan, ImageReference from) {
        ImageReference to = plan.destination().reference();
        return from != null && from.registry().equals(to.registry()) && !from.name().equals(to.name());
    }

    /**
     * Hands the destination a source it can open again, so a registry upload that fails midway (a reset, a
     * 5xx, a restart) is retried from the start, and a store holding part of the blob from a cut download
     * asks only for the rest; progress counts each byte once however often it is sent.
     */
    private void upload(ImagePlan plan, Descriptor blob, ImageProgress progress) throws IOException {
        cancellation.throwIfCancelled();
        AtomicLong reported = new AtomicLong();
        plan.destination().target().writeBlob(plan.destination().reference(), blob, new BlobSource() {
            @Override
            public InputStream open() throws IOException {
                return openFrom(0);
            }

            @Override
            public InputStream openFrom(long offset) throws IOException {
                // The kept part needed no transfer now.
                long before = reported.getAndAccumulate(offset, Math::max);
                if (offset > before) {
                    progress.skipped(offset - before);
                }
                return new MeteredInputStream(plan.openBlob(blob, offset), offset,
                        cancellation, progress, reported);
            }
        });
    }

    /** The repository where the earlier owner put the blob, or null when it failed (then we upload ourselves). */
    private ImageReference landedIn(CompletableFuture<ImageReference> earlier) throws IOException {
        try {
            return earlier.get();
        } catch (ExecutionException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CancellationCheck.cancelled();
        }
    }

    private static void await(CompletableFuture<Outcome> owner) throws IOException {
        try {
            owner.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw new dev.stevedore.image.error.ImageException(io.getMessage(), io);
            }
            throw new CompletionException(cause);
        } catch (InterruptedException | CancellationException e) {
            Thread.currentThread().interrupt();
            throw CancellationCheck.cancelled();
        }
    }
}
