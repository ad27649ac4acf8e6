package dev.stevedore.image.store.archive;

import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.target.ArchiveFileNames;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.List;

/**
 * How an archive's members lie in its file, the one thing a plain {@code .tar} ({@link TarBody}) and a
 * {@code .tar.zst} ({@link ZstdFrameBody}) do differently. {@link ArchiveStore} does the rest: the blob index,
 * the metadata, the sums check, the closing step.
 */
sealed interface ArchiveBody extends AutoCloseable permits TarBody, ZstdFrameBody {

    /** The body of {@code file}: zstd frames for a {@code .tar.zst} (or its parts), a plain tar for any other name. */
    static ArchiveBody open(SplitFile file, Clock clock) throws IOException {
        return ArchiveFileNames.isZstd(file.base().getFileName().toString()) ? ZstdFrameBody.open(file, clock) : TarBody.open(file, clock);
    }

    /** The members the archive held when it was opened, and why its headers stop early, if they do. */
    ArchiveScan scan();

    /** The content of a member {@link #scan} or {@link #writeBlob} gave, from {@code offset} on. */
    InputStream content(ArchiveMember member, long offset, String what) throws IOException;

    /**
     * Writes {@code content}, exactly {@code blob.size()} bytes of that digest, as a complete member under its
     * final name, or fails leaving none under that name. The caller holds the blob's lock.
     *
     * @param where what the blob is, for the errors
     */
    ArchiveMember writeBlob(Descriptor blob, InputStream content, String where) throws IOException;

    /** Whether anything was written since the archive was opened. */
    boolean written();

    /**
     * Appends {@code entries} and the end-of-archive marker, cuts the file there and forces it to the disk.
     *
     * @return the hex SHA-256 of each part, in order
     */
    List<String> finish(List<ArchiveMetadata.Entry> entries, long mtimeSeconds) throws IOException;

    /** Stops what runs behind the writers; the file is the store's to close. */
    @Override
    void close();
}
