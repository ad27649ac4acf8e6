package dev.stevedore.image.store;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The download of one blob under a name made from its final one ({@code .tmp-resume-sha256:<hex>} beside
 * {@code sha256:<hex>}), so that a run killed mid-transfer leaves what it had where the next run finds it.
 *
 * <p>A writer holds an OS lock on the file for as long as it writes, and the OS drops that lock when the
 * process dies however it dies (SIGKILL included): a file nobody holds is a cut download, free to continue.
 * Only the holder of the lock renames or deletes the file. Between opening the path and getting the lock
 * another writer may have renamed it into place or deleted it, so a claim also checks that the path still
 * names the file it locked (the same file key before opening and after locking; a file held open cannot
 * lose its key to another). A writer that finds the file held by someone else downloads on its own, into
 * an ordinary temporary file, as before.
 *
 * <p>Nothing is trusted: the holder hashes the kept part again before asking the source for the rest, and
 * the whole is verified before it takes the final name.
 */
final class PartialBlobFile implements Closeable {

    /** Prefix of every partial download; a temporary file, which no listing takes for content. */
    static final String PREFIX = AtomicFiles.TEMP_PREFIX + "resume-";

    private static final int CLAIM_ATTEMPTS = 3;

    private final Path path;
    private final Object key;
    private final FileChannel channel;
    private final FileLock lock;
    private boolean released;

    private PartialBlobFile(Path path, Object key, FileChannel channel, FileLock lock) {
        this.path = path;
        this.key = key;
        this.channel = channel;
        this.lock = lock;
    }

    static Path pathFor(Path target) {
        return target.resolveSibling(PREFIX + target.getFileName());
    }

    static boolean isPartial(Path file) {
        return file.getFileName() != null && file.getFileName().toString().startsWith(PREFIX);
    }

    /**
     * The partial download of {@code target}, created empty when there is none, now held by this writer;
     * empty when another writer (another process, or another thread of this one) holds it, or when the file
     * system cannot tell files apart (no file keys), where continuing could not be made safe.
     */
    static Optional<PartialBlobFile> claim(Path target, AtomicFiles files) throws IOException {
        Path path = pathFor(target);
        if (Files.readAttributes(path.getParent(), BasicFileAttributes.class).fileKey() == null) {
            return Optional.empty(); // no file keys (not on Linux or macOS): no safe claim, download as before
        }
        for (int attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
            Object before = keyOf(path);
            if (before == null) {
                try {
                    files.createFile(path);
                } catch (FileAlreadyExistsException e) {
                    continue; // another writer created it a moment ago: look again
                }
                before = keyOf(path);
                if (before == null) {
                    continue;
                }
            }
            FileChannel channel;
            try {
                channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                continue; // renamed into place or deleted since we looked
            }
            FileLock lock = tryLock(channel);
            if (lock == null) {
                channel.close();
                return Optional.empty();
            }
            if (before.equals(keyOf(path))) {
                return Optional.of(new PartialBlobFile(path, before, channel, lock));
            }
            channel.close(); // we locked a file that is no longer the partial download: look again
        }
        return Optional.empty();
    }

    /**
     * Deletes a partial download nobody holds, for the cleanup of abandoned downloads; false when it is held
     * (a live writer is continuing it) or already gone.
     */
    static boolean deleteIfAbandoned(Path file) throws IOException {
        Object before = keyOf(file);
        if (before == null) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            FileLock lock = tryLock(channel);
            if (lock == null || !before.equals(keyOf(file))) {
                return false;
            }
            Files.delete(file); // still holding the lock: no writer can be inside it
            return true;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    Path path() {
        return path;
    }

    /** Bytes kept so far. */
    long size() throws IOException {
        return channel.size();
    }

    /** Feeds the first {@code length} bytes of the file to {@code sha256}, streaming. */
    void hashPrefix(MessageDigest sha256, long length) throws IOException {
        if (length == 0) {
            return; // a download from the start: nothing kept to hash, and no buffer to allocate
        }
        ByteBuffer buffer = ByteBuffer.wrap(BlobFiles.chunkFor(length));
        long position = 0;
        while (position < length) {
            buffer.clear();
            buffer.limit((int) Math.min(buffer.capacity(), length - position));
            int n = channel.read(buffer, position);
            if (n < 0) {
                throw new IOException(path + " ended after " + position + " of " + length + " bytes while it was hashed");
            }
            buffer.flip();
            sha256.update(buffer);
            position += n;
        }
    }

    /** Drops everything from {@code size} on. */
    void truncate(long size) throws IOException {
        channel.truncate(size);
    }

    /** Writes {@code length} bytes of {@code chunk} at {@code position}. */
    void write(byte[] chunk, int length, long position) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(chunk, 0, length);
        long at = position;
        while (buffer.hasRemaining()) {
            at += channel.write(buffer, at);
        }
    }

    /** Makes the complete, verified file durable and gives it the final name, then lets go of it. */
    void commit(Path target, AtomicFiles files) throws IOException {
        channel.force(true);
        if (!key.equals(keyOf(path))) {
            throw new IOException(path + " was replaced by another file while this writer held it");
        }
        files.commit(path, target);
        close();
    }

    /** Deletes the file (its content is of no use) and lets go of it. */
    void discard() throws IOException {
        try {
            if (channel.isOpen() && key.equals(keyOf(path))) {
                Files.deleteIfExists(path);
            }
        } finally {
            close();
        }
    }

    /** Lets go of the file and keeps it, for a later run to continue. */
    @Override
    public void close() throws IOException {
        if (released) {
            return;
        }
        released = true;
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } finally {
            channel.close();
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // another thread of this process holds it
        }
    }

    private static Object keyOf(Path path) throws IOException {
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return attributes.isRegularFile() ? attributes.fileKey() : null;
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
