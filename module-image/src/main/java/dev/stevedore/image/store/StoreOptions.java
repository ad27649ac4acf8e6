package dev.stevedore.image.store;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * How a directory store writes. Built from named factories and {@code with...} copies:
 * {@code StoreOptions.defaults().withVerifyExistingBlobs()}.
 *
 * @param verifyExistingBlobs   re-hash a blob already present with the right size instead of trusting it
 * @param newRepositories       which KubeKey generation a repository new to a KubeKey directory is written in
 *                              (a repository already there keeps its own; reading accepts both)
 * @param staleTemporaryFileAge temporary files older than this are left-overs of a crash and are deleted
 *                              on the next write into their folder; younger ones may belong to a live writer
 * @param abandonedDownloadAge  a cut download kept for resuming ({@code .tmp-resume-*}) that no run has
 *                              continued for this long is deleted on the next write into its folder
 * @param maxPartSize           a bundle archive is written in parts of this many bytes ({@code max_part_size});
 *                              0 for one file. Directory stores have no parts and ignore it
 */
public record StoreOptions(boolean verifyExistingBlobs, KubeKeyLayout newRepositories, Duration staleTemporaryFileAge,
                           Duration abandonedDownloadAge, long maxPartSize) {

    /** Long enough that a live writer, which touches its file with every write, is never taken for dead. */
    public static final Duration DEFAULT_STALE_AGE = Duration.ofMinutes(30);

    /** A week: a bundle pull cut on Friday resumes on Monday; a download given up costs disk no longer. */
    public static final Duration DEFAULT_ABANDONED_DOWNLOAD_AGE = Duration.ofDays(7);

    /**
     * The two ways KubeKey has recorded tags in an images directory, and the rule that picks one for a
     * repository the directory does not hold yet. The task argument {@code layout} names them.
     */
    public enum KubeKeyLayout {
        /** As every repository already in the directory is written; an empty or mixed directory gets the first generation. */
        AS_DIRECTORY(null),
        /** The first generation ({@code layout: kubekey-v1}): {@code manifests/<tag>} holds the manifest bytes. */
        KUBEKEY_V1("kubekey-v1"),
        /** Today's KubeKey ({@code layout: kubekey-v2}): {@code manifests/sha256:<hex>} plus the {@code manifests/layout} tag map. */
        KUBEKEY_V2("kubekey-v2");

        private final String argument;

        KubeKeyLayout(String argument) {
            this.argument = argument;
        }

        /** The value of the task argument {@code layout}, or null for {@link #AS_DIRECTORY}. */
        public String argument() {
            return argument;
        }

        /** The generation an argument value names; null (no argument) is {@link #AS_DIRECTORY}. */
        public static KubeKeyLayout ofArgument(String value) {
            if (value == null) {
                return AS_DIRECTORY;
            }
            return Arrays.stream(values()).filter(l -> value.equals(l.argument)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown KubeKey layout '" + value
                            + "': use kubekey-v1 or kubekey-v2"));
        }
    }

    public StoreOptions {
        Objects.requireNonNull(newRepositories, "newRepositories");
        Objects.requireNonNull(staleTemporaryFileAge, "staleTemporaryFileAge");
        Objects.requireNonNull(abandonedDownloadAge, "abandonedDownloadAge");
        if (maxPartSize < 0) {
            throw new IllegalArgumentException("negative part size: " + maxPartSize);
        }
        if (staleTemporaryFileAge.isNegative() || abandonedDownloadAge.isNegative()) {
            throw new IllegalArgumentException("negative age: " + staleTemporaryFileAge + ", " + abandonedDownloadAge);
        }
    }

    /**
     * Trust present blobs by size, new KubeKey repositories as the directory's others, clean temporary files
     * older than 30 minutes and cut downloads older than a week.
     */
    public static StoreOptions defaults() {
        return new StoreOptions(false, KubeKeyLayout.AS_DIRECTORY, DEFAULT_STALE_AGE, DEFAULT_ABANDONED_DOWNLOAD_AGE, 0);
    }

    public StoreOptions withVerifyExistingBlobs() {
        return new StoreOptions(true, newRepositories, staleTemporaryFileAge, abandonedDownloadAge, maxPartSize);
    }

    public StoreOptions withNewRepositories(KubeKeyLayout layout) {
        return new StoreOptions(verifyExistingBlobs, layout, staleTemporaryFileAge, abandonedDownloadAge, maxPartSize);
    }

    public StoreOptions withStaleTemporaryFileAge(Duration age) {
        return new StoreOptions(verifyExistingBlobs, newRepositories, age, abandonedDownloadAge, maxPartSize);
    }

    public StoreOptions withAbandonedDownloadAge(Duration age) {
        return new StoreOptions(verifyExistingBlobs, newRepositories, staleTemporaryFileAge, age, maxPartSize);
    }

    public StoreOptions withMaxPartSize(long size) {
        return new StoreOptions(verifyExistingBlobs, newRepositories, staleTemporaryFileAge, abandonedDownloadAge, size);
    }
}
