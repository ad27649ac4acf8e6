package dev.stevedore.image.store.archive;

import dev.stevedore.image.store.StoreOptions;
import java.util.Objects;

/**
 * How a bundle archive is written: {@code ArchiveOptions.defaults().withMaxPartSize(4L << 30)}.
 *
 * @param maxPartSize the size the archive is cut into parts at ({@code NAME.part-0001}, ...), or 0 for one
 *                    file; parts already on disk keep their size
 * @param store       the options of the KubeKey images-directory layout the archive holds (the generation
 *                    of new repositories, whether blobs from an earlier run are re-hashed)
 */
public record ArchiveOptions(long maxPartSize, StoreOptions store) {

    /** Parts smaller than a header block could not hold a member's header; smaller sizes are a typo. */
    public static final long MIN_PART_SIZE = 1024;

    public ArchiveOptions {
        Objects.requireNonNull(store, "store");
        if (maxPartSize != 0 && maxPartSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException("max_part_size must be at least " + MIN_PART_SIZE + " bytes, got " + maxPartSize);
        }
    }

    /** One file, the directory layout's default options. */
    public static ArchiveOptions defaults() {
        return new ArchiveOptions(0, StoreOptions.defaults());
    }

    public ArchiveOptions withMaxPartSize(long size) {
        return new ArchiveOptions(size, store);
    }

    public ArchiveOptions withStore(StoreOptions options) {
        return new ArchiveOptions(maxPartSize, options);
    }
}
