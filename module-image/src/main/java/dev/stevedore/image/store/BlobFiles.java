package dev.stevedore.image.store;

import dev.stevedore.image.error.ImageException;
import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.target.BlobSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Content-addressed files: a blob is streamed into a temporary file while it is hashed, its size and
 * digest are checked, and only then does it take its final name. Blobs are never held in memory.
 *
 * <p>From a {@link BlobSource} the temporary file is the blob's {@link PartialBlobFile}, kept when the
 * source fails or the run is cancelled or killed; the next write of that blob, in this process or a
 * later one, hashes what is there and asks the source only for the rest. If the whole then does not
 * match its digest, the kept part was wrong (a disk fault, a power cut): the blob is fetched once more
 * from its start before the write fails.
 */
final class BlobFiles {

    private static final int BUFFER_SIZE = 128 * 1024;

    private final AtomicFiles files;
    private final boolean verifyExisting;

    BlobFiles(AtomicFiles files, boolean verifyExisting) {
        this.files = files;
        this.verifyExisting = verifyExisting;
    }

    /**
     * Stores {@code content} as {@code target} unless a correct copy is already there.
     *
     * @param where names the store in messages
     * @return true when written, false when already present
     */
    boolean write(Path target, Descriptor blob, InputStream content, String where) throws IOException {
        if (isPresent(target, blob)) {
            return false;
        }
        Path directory = target.getParent();
        try {
            files.prepare(directory);
            Path temp = files.newTemporaryFile(directory);
            try {
                copyVerified(content, temp, blob, where);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(temp);
                throw e;
            }
            // Two writers of one blob both get here with identical, verified content: the second rename
            // replaces the first file atomically, so readers always see one complete copy.
            files.commit(temp, target);
            return true;
        } catch (SourceFailure e) {
            throw e.getCause(); // the source's own error (a registry's, say) already says what failed
        } catch (IOException e) {
            throw StoreFailures.onWrite(e, directory, "blob " + blob.digest() + " for " + where);
        }
    }

    /**
     * Stores the blob as {@code target} unless a correct copy is already there, continuing a download cut
     * earlier (see the class comment).
     *
     * @return true when written, false when already present
     */
    boolean write(Path target, Descriptor blob, BlobSource source, String where) throws IOException {
        if (isPresent(target, blob)) {
            return false;
        }
        Path directory = target.getParent();
        Optional<PartialBlobFile> claimed;
        try {
            files.prepare(directory);
            claimed = PartialBlobFile.claim(target, files);
        } catch (IOException e) {
            throw StoreFailures.onWrite(e, directory, "blob " + blob.digest() + " for " + where);
        }
        if (claimed.isEmpty()) {
            // Another writer is continuing this blob's download: download on our own, as without resuming.
            try (InputStream in = source.open()) {
                return write(target, blob, in, where);
            }
        }
        try (PartialBlobFile partial = claimed.get()) {
            try {
                if (isPresent(target, blob)) {
                    partial.discard(); // another writer finished it meanwhile
                    return false;
                }
                fill(partial, blob, source, where);
                partial.commit(target, files);
                return true;
            } catch (SourceFailure e) {
                throw e.getCause(); // the part written so far stays for the next attempt
            } catch (ClosedByInterruptException e) {
                throw new InterruptedIOException("the copy was cancelled"); // the part written so far stays
            } catch (IOException e) {
                partial.discard();
                throw StoreFailures.onWrite(e, directory, "blob " + blob.digest() + " for " + where);
            } catch (RuntimeException e) {
                partial.discard();
                throw e;
            }
        }
    }

    /** Continues the partial download, or starts it over once when what it held turns out wrong. */
    private void fill(PartialBlobFile partial, Descriptor blob, BlobSource source, String where) throws IOException {
        long kept = partial.size();
        if (kept > blob.size()) {
            partial.truncate(0);
            kept = 0;
        }
        MessageDigest sha256 = Digest.newSha256();
        partial.hashPrefix(sha256, kept);
        try {
            append(partial, kept, sha256, blob, source, where);
        } catch (DigestMismatchException e) {
            if (kept == 0) {
                throw e;
            }
            partial.truncate(0);
            append(partial, 0, Digest.newSha256(), blob, source, where);
        }
    }

    /** Appends the source's bytes from {@code offset} on, hashing them after the kept part, and verifies the whole. */
    private static void append(PartialBlobFile partial, long offset, MessageDigest sha256, Descriptor blob, BlobSource source,
                               String where) throws IOException {
        long expected = blob.size();
        long written = offset;
        if (offset < expected) {
            InputStream content = open(source, offset);
            try {
                byte[] chunk = chunkFor(expected - offset);
                int read;
                while ((read = read(content, chunk)) >= 0) {
                    if (written + read > expected) {
                        throw DigestMismatchException.ofSize(blob.digest(), expected, "more than " + expected, where);
                    }
                    sha256.update(chunk, 0, read);
                    partial.write(chunk, read, written);
                    written += read;
                }
            } finally {
                close(content);
            }
        }
        if (written != expected) {
            throw DigestMismatchException.ofSize(blob.digest(), expected, String.valueOf(written), where);
        }
        Digest actual = Digest.of(sha256.digest());
        if (!actual.equals(blob.digest())) {
            throw DigestMismatchException.ofDigest(blob.digest(), actual, where);
        }
    }

    private static InputStream open(BlobSource source, long offset) throws SourceFailure {
        try {
            return offset == 0 ? source.open() : source.openFrom(offset);
        } catch (IOException e) {
            throw new SourceFailure(e);
        }
    }

    private static void close(InputStream content) throws SourceFailure {
        try {
            content.close();
        } catch (IOException e) {
            throw new SourceFailure(e);
        }
    }

    /** A failure to read the content, kept apart from failures to write it (a full disk, say). */
    private static final class SourceFailure extends IOException {
        SourceFailure(IOException cause) {
            super(cause);
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }

    /**
     * A buffer for streaming {@code remaining} more bytes of a blob: as large as they are and one byte more (which
     * is where an overlong stream shows), at most {@value #BUFFER_SIZE}. Most blobs (configs, small layers) are
     * a few kilobytes: a full buffer each was most of what a copy of many small images allocated, and what kept
     * its collector busy.
     */
    static byte[] chunkFor(long remaining) {
        return new byte[(int) Math.min(BUFFER_SIZE, Math.max(0, remaining) + 1)];
    }

    private static int read(InputStream content, byte[] chunk) throws SourceFailure {
        try {
            return content.read(chunk);
        } catch (IOException e) {
            throw new SourceFailure(e);
        }
    }

    /**
     * Streams the blob stored as {@code target} (a link is not followed); its absence is the store's fault, said
     * with {@code remedy}.
     *
     * @param where names the store in messages
     */
    static InputStream open(Path target, ImageReference repository, Descriptor blob, String where, String remedy) throws IOException {
        try {
            return Files.newInputStream(target, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new ImageException("blob " + blob.digest() + " of " + repository.name() + " is missing from " + where + ": " + remedy, e);
        }
    }

    /** Whether {@code target} holds the blob: right size, and right digest when verifying. */
    boolean isPresent(Path target, Descriptor blob) throws IOException {
        OptionalLong size = RegularFiles.size(target);
        if (size.isEmpty() || size.getAsLong() != blob.size()) {
            return false;
        }
        return !verifyExisting || hash(target).equals(blob.digest());
    }

    /** The SHA-256 digest of a file, read in a stream. */
    static Digest hash(Path file) throws IOException {
        MessageDigest sha256 = Digest.newSha256();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer buffer = ByteBuffer.wrap(chunkFor(channel.size()));
            while (channel.read(buffer) >= 0) {
                buffer.flip();
                sha256.update(buffer);
                buffer.clear();
            }
        }
        return Digest.of(sha256.digest());
    }

    private static void copyVerified(InputStream content, Path temp, Descriptor blob, String where) throws IOException {
        MessageDigest sha256 = Digest.newSha256();
        long expected = blob.size();
        long written = 0;
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            byte[] chunk = chunkFor(expected);
            int read;
            while ((read = read(content, chunk)) >= 0) {
                written += read;
                if (written > expected) {
                    // Stop at once: a wrong or endless stream must not fill the disk.
                    throw DigestMismatchException.ofSize(blob.digest(), expected, "more than " + expected, where);
                }
                sha256.update(chunk, 0, read);
                ByteBuffer buffer = ByteBuffer.wrap(chunk, 0, read);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
            if (written != expected) {
                throw DigestMismatchException.ofSize(blob.digest(), expected, String.valueOf(written), where);
            }
            Digest actual = Digest.of(sha256.digest());
            if (!actual.equals(blob.digest())) {
                throw DigestMismatchException.ofDigest(blob.digest(), actual, where);
            }
            channel.force(true);
        }
    }

}
