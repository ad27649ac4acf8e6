package dev.stevedore.image.store.archive;

import dev.stevedore.image.reference.Digest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The SHA-256 of every part, hashed while the archive is written instead of all at once when it closes, which
 * for a bundle of many layers was a pass over the whole file after the last download.
 *
 * <p>Blobs are written concurrently into regions reserved in order, and finish out of order. The bytes below
 * the <em>frontier</em> are final: every region there has been written and verified (and a region is only
 * rewritten while it is not final, see {@link BlobMemberWriter}). A background thread reads the file up to the
 * frontier, back from the page cache, and hashes it in order, finishing a part's hash at each part boundary.
 * {@link #finish} stops it and hashes the rest, from wherever it stopped to the archive's end: regions whose
 * write failed and the metadata appended at close. The sums are therefore of the bytes on disk, as
 * {@code sha256sum} sees them, not of what the writers meant to write.
 */
final class RunningPartSums implements AutoCloseable {

    private static final int CHUNK = 256 * 1024;
    private static final int BATCH = 4 * 1024 * 1024; // the hashing thread wakes for this much, or at the end

    private final SplitFile file;
    private final long partSize;
    private final TreeMap<Long, Long> finalRegions = new TreeMap<>(); // guarded by this: start -> end, above the frontier
    private long frontier; // guarded by this: every byte below it is final
    private boolean stopping; // guarded by this
    private final Thread thread;
    // Touched by the hashing thread until it is joined, then by finish.
    private final List<String> sums = new ArrayList<>();
    private final byte[] buffer = new byte[CHUNK];
    private MessageDigest part = Digest.newSha256();
    private volatile long hashed; // volatile for hashedSoFar only: one thread at a time writes it

    /** The bytes {@code [start, end)} of the archive. */
    record Region(long start, long end) {
    }

    /**
     * Starts hashing {@code file}, whose first {@code keptEnd} bytes are final except the regions in
     * {@code rewritable} (blobs a killed run left unfinished, which this run may write again).
     */
    RunningPartSums(SplitFile file, long keptEnd, Collection<Region> rewritable) {
        this.file = file;
        this.partSize = file.partSize();
        long from = 0;
        for (Region region : rewritable.stream().sorted((a, b) -> Long.compare(a.start(), b.start())).toList()) {
            finalRegion(from, region.start());
            from = region.end();
        }
        finalRegion(from, keptEnd);
        this.thread = new Thread(this::hashBehindFrontier, "archive-sums");
        thread.setDaemon(true);
        thread.start();
    }

    /** The bytes {@code [start, end)} will not change again. */
    synchronized void finalRegion(long start, long end) {
        if (end <= start) {
            return;
        }
        finalRegions.merge(start, end, Math::max);
        boolean moved = false;
        for (Map.Entry<Long, Long> next; (next = finalRegions.firstEntry()) != null && next.getKey() <= frontier; ) {
            finalRegions.pollFirstEntry();
            if (next.getValue() > frontier) {
                frontier = next.getValue();
                moved = true;
            }
        }
        if (moved) {
            notifyAll();
        }
    }

    /**
     * The hex SHA-256 of every part of the archive, now {@code length} bytes long and written for the last
     * time, in part order.
     */
    List<String> finish(long length) throws IOException {
        stop();
        hashUpTo(length);
        if (length == 0 || hashed % partSize != 0) {
            sums.add(Digest.of(part.digest()).hex());
        }
        return List.copyOf(sums);
    }

    /** How many bytes the background thread has hashed so far: what closing will not read again. */
    long hashedSoFar() {
        return hashed;
    }

    /** Stops the hashing thread; the archive closes without sums. */
    @Override
    public void close() {
        stop();
    }

    private void stop() {
        synchronized (this) {
            stopping = true;
            notifyAll();
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true; // the thread stops within one chunk; the interrupt is kept for the caller
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void hashBehindFrontier() {
        try {
            while (true) {
                long upTo;
                synchronized (this) {
                    while (!stopping && frontier - hashed < BATCH) {
                        wait();
                    }
                    if (stopping) {
                        return;
                    }
                    upTo = frontier;
                }
                hashUpTo(upTo);
            }
        } catch (IOException | InterruptedException e) {
            // Only the background work ends. It stopped between two chunks, so finish goes on from there, and a
            // read that fails fails there again, where the close reports it.
        }
    }

    /** Hashes from where hashing stopped to {@code upTo}, finishing each part's hash at its end. */
    private void hashUpTo(long upTo) throws IOException {
        ByteBuffer wrapped = ByteBuffer.wrap(buffer);
        while (hashed < upTo) {
            long partEnd = partSize == Long.MAX_VALUE ? Long.MAX_VALUE : (hashed / partSize + 1) * partSize;
            wrapped.clear().limit((int) Math.min(CHUNK, Math.min(upTo, partEnd) - hashed));
            int n = file.read(wrapped, hashed);
            if (n < 0) {
                throw new IOException(file.describe() + " ends at " + hashed + " bytes, before its " + upTo + " written bytes");
            }
            part.update(buffer, 0, n);
            hashed += n;
            if (hashed == partEnd) {
                sums.add(Digest.of(part.digest()).hex());
                part = Digest.newSha256();
            }
        }
    }
}
