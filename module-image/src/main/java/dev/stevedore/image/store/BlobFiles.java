package dev.stevedore.image.store;

import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.reference.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.OptionalLong;

/**
 * Content-addressed files: a blob is streamed into a temporary file while it is hashed, its size and
 * digest are checked, and only then does it take its final name. Blobs are never held in memory.
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

    private static int read(InputStream content, byte[] chunk) throws SourceFailure {
        try {
            return content.read(chunk);
        } catch (IOException e) {
            throw new SourceFailure(e);
        }
    }

    /** Whether {@code target} holds the blob: right size, and right digest when verifying. */
    boolean isPresent(Path target, Descriptor blob) throws IOException {
        OptionalLong size = size(target);
        if (size.isEmpty() || size.getAsLong() != blob.size()) {
            return false;
        }
        return !verifyExisting || hash(target).equals(blob.digest());
    }

    /** The size of a regular file (links are not followed), or empty when there is none. */
    static OptionalLong size(Path file) throws IOException {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return attributes.isRegularFile() ? OptionalLong.of(attributes.size()) : OptionalLong.empty();
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        }
    }

    /** The SHA-256 digest of a file, read in a stream. */
    static Digest hash(Path file) throws IOException {
        MessageDigest sha256 = sha256();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer buffer = ByteBuffer.allocate(BUFFER_SIZE);
            while (channel.read(buffer) >= 0) {
                buffer.flip();
                sha256.update(buffer);
                buffer.clear();
            }
        }
        return Digest.of(sha256.digest());
    }

    private static void copyVerified(InputStream content, Path temp, Descriptor blob, String where) throws IOException {
        MessageDigest sha256 = sha256();
        long expected = blob.size();
        long written = 0;
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            byte[] chunk = new byte[BUFFER_SIZE];
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

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always provides SHA-256", e);
        }
    }
}
