package dev.stevedore.image.bundle;

import dev.stevedore.image.reference.Digest;
import dev.stevedore.spi.Progress;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Re-hashes members on a few threads: each thread streams one member at a time through one fixed buffer,
 * so memory stays flat whatever the sizes. The largest members start first, so that one big layer does not
 * end up alone at the end while the other threads idle; but members with a {@link BundleContents#storageOrder}
 * (an archive's) are read in it. An archive's verify hashes its files at the same time on a thread of its own
 * (one pass over every byte, longer than this one on any number of threads), so the order costs no time there,
 * and in storage order both passes go through the file front to back together: from a spinning disk one of
 * them reads what the other just brought into the page cache, where reading members largest first sent the
 * disk back and forth between the two.
 */
final class BlobHasher {

    private static final int BUFFER_SIZE = 256 * 1024;

    /** What hashing one member gave: its SHA-256 and length, or why it could not be read. */
    record Hashed(Digest digest, long size, IOException failure) {
    }

    private final int threads;

    BlobHasher(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be positive, got " + threads);
        }
        this.threads = threads;
    }

    /** The hash of every member, keyed by member name; {@code sizes} orders the work, {@code item} gets every byte hashed. */
    Map<String, Hashed> hash(BundleContents contents, Map<String, Long> sizes, Progress.Item item) throws InterruptedException {
        List<String> members = new ArrayList<>(sizes.keySet());
        members.sort(contents.storageOrder().orElse(
                Comparator.comparing((String m) -> sizes.get(m)).reversed().thenComparing(Comparator.naturalOrder())));
        ThreadLocal<byte[]> buffers = ThreadLocal.withInitial(() -> new byte[BUFFER_SIZE]);
        List<Hashed> hashed;
        try {
            hashed = Workers.map(members, threads, "verify", member -> hashOne(contents, member, buffers.get(), item));
        } catch (IOException e) {
            throw new IllegalStateException("hashing failed unexpectedly: " + e, e); // hashOne keeps its failures
        }
        Map<String, Hashed> results = new HashMap<>();
        for (int i = 0; i < members.size(); i++) {
            results.put(members.get(i), hashed.get(i));
        }
        return results;
    }

    private static Hashed hashOne(BundleContents contents, String member, byte[] buffer, Progress.Item item) {
        MessageDigest sha256 = Digest.newSha256();
        long size = 0;
        try (InputStream in = contents.open(member)) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                sha256.update(buffer, 0, read);
                size += read;
                item.transferred(read);
            }
            return new Hashed(Digest.of(sha256.digest()), size, null);
        } catch (IOException e) {
            return new Hashed(null, size, e);
        }
    }
}
