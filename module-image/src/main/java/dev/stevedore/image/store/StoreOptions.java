package dev.stevedore.image.store;

import java.time.Duration;
import java.util.Objects;

/**
 * How a directory store writes. Built from named factories and {@code with...} copies:
 * {@code StoreOptions.defaults().withVerifyExistingBlobs()}.
 *
 * @param verifyExistingBlobs     re-hash a blob already present with the right size instead of trusting it
 * @param kubeKeyTags             how a KubeKey directory records tags when writing (reading accepts both)
 * @param staleTemporaryFileAge   temporary files older than this are left-overs of a crash and are deleted
 *                                on the next write into their folder; younger ones may belong to a live writer
 */
public record StoreOptions(boolean verifyExistingBlobs, KubeKeyTags kubeKeyTags, Duration staleTemporaryFileAge) {

    /** Long enough that a live writer, which touches its file with every write, is never taken for dead. */
    public static final Duration DEFAULT_STALE_AGE = Duration.ofMinutes(30);

    /** The two ways KubeKey has recorded tags in an images directory. */
    public enum KubeKeyTags {
        /** The first generation: {@code manifests/<tag>} holds the manifest bytes. The default. */
        TAG_FILES,
        /** The newer generation: {@code manifests/sha256:<hex>} plus the {@code manifests/layout} tag map. */
        LAYOUT_FILE
    }

    public StoreOptions {
        Objects.requireNonNull(kubeKeyTags, "kubeKeyTags");
        Objects.requireNonNull(staleTemporaryFileAge, "staleTemporaryFileAge");
        if (staleTemporaryFileAge.isNegative()) {
            throw new IllegalArgumentException("negative stale temporary file age " + staleTemporaryFileAge);
        }
    }

    /** Trust present blobs by size, write KubeKey tag files, clean temporary files older than 30 minutes. */
    public static StoreOptions defaults() {
        return new StoreOptions(false, KubeKeyTags.TAG_FILES, DEFAULT_STALE_AGE);
    }

    public StoreOptions withVerifyExistingBlobs() {
        return new StoreOptions(true, kubeKeyTags, staleTemporaryFileAge);
    }

    public StoreOptions withKubeKeyTags(KubeKeyTags tags) {
        return new StoreOptions(verifyExistingBlobs, tags, staleTemporaryFileAge);
    }

    public StoreOptions withStaleTemporaryFileAge(Duration age) {
        return new StoreOptions(verifyExistingBlobs, kubeKeyTags, age);
    }
}
