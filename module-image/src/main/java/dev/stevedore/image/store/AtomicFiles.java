package dev.stevedore.image.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Atomic file creation for one store: content goes to a temporary file {@code .tmp-<random>} in the
 * final folder, is flushed to disk, gets its final permissions, and is renamed over the final name in
 * one step. A crash therefore leaves at most a temporary file, never a half-written final file.
 *
 * <p>Temporary files older than the stale age are deleted the first time this instance writes into
 * their folder. A live writer touches its file with every write, so only a crashed writer's (or one
 * stalled longer than the stale age) files qualify, even with another process writing the same folder.
 * Cut downloads kept for resuming ({@link PartialBlobFile}) are kept much longer, until the abandoned
 * download age, and are deleted then only if no writer holds them.
 */
final class AtomicFiles {

    /** Prefix of every temporary file; the listing rules of both layouts never take such a file. */
    static final String TEMP_PREFIX = ".tmp-";

    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-r--r--");
    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwxr-xr-x");

    private final Duration staleAge;
    private final Duration abandonedAge;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Set<Path> cleanedDirectories = ConcurrentHashMap.newKeySet();

    AtomicFiles(Duration staleAge, Duration abandonedAge, Clock clock) {
        this.staleAge = staleAge;
        this.abandonedAge = abandonedAge;
        this.clock = clock;
    }

    static boolean isTemporary(Path file) {
        return file.getFileName() != null && file.getFileName().toString().startsWith(TEMP_PREFIX);
    }

    /** Creates {@code directory} and its missing parents with mode 0755, whatever the umask. */
    void createDirectories(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            return;
        }
        Path parent = directory.getParent();
        if (parent != null) {
            createDirectories(parent);
        }
        try {
            Files.createDirectory(directory);
            setMode(directory, DIR_MODE);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(directory)) {
                throw e;
            }
            // Another writer created it between our check and our attempt: that is what we wanted.
        }
    }

    /** Writes small content (a manifest, an index file) atomically under {@code target}. */
    void writeBytes(Path target, byte[] content) throws IOException {
        Path directory = target.getParent();
        prepare(directory);
        Path temp = newTemporaryFile(directory);
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        commit(temp, target);
    }

    /**
     * Writes {@code content} as {@code target} only if no such file exists, even when another process
     * races us: the complete temporary file is hard-linked to the final name, which fails if it exists.
     */
    void writeBytesIfAbsent(Path target, byte[] content) throws IOException {
        Path directory = target.getParent();
        prepare(directory);
        Path temp = newTemporaryFile(directory);
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.createLink(target, temp);
            syncDirectory(directory);
        } catch (FileAlreadyExistsException e) {
            // Someone else created it first: theirs stands.
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Creates the folder if needed, and cleans stale temporary files in it once per store instance. */
    void prepare(Path directory) throws IOException {
        createDirectories(directory);
        if (cleanedDirectories.add(directory)) {
            deleteStaleTemporaryFiles(directory);
        }
    }

    /** A new, empty temporary file with mode 0644 in {@code directory}. */
    Path newTemporaryFile(Path directory) throws IOException {
        byte[] name = new byte[12];
        random.nextBytes(name);
        Path temp = directory.resolve(TEMP_PREFIX + HexFormat.of().formatHex(name));
        Files.createFile(temp);
        setMode(temp, FILE_MODE);
        return temp;
    }

    /** Creates the empty file {@code file} with mode 0644; fails if it exists. */
    void createFile(Path file) throws IOException {
        Files.createFile(file);
        setMode(file, FILE_MODE);
    }

    /** Renames a complete, flushed temporary file over {@code target} in one step, then syncs the folder. */
    void commit(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        syncDirectory(target.getParent());
    }

    /**
     * Deletes temporary files in {@code directory} older than the stale age, and cut downloads older than the
     * abandoned download age that no writer holds; returns how many.
     */
    int deleteStaleTemporaryFiles(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        FileTime limit = FileTime.from(clock.instant().minus(staleAge));
        FileTime abandoned = FileTime.from(clock.instant().minus(abandonedAge));
        int deleted = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, TEMP_PREFIX + "*")) {
            for (Path entry : entries) {
                try {
                    if (!Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
                        continue;
                    }
                    FileTime modified = Files.getLastModifiedTime(entry, LinkOption.NOFOLLOW_LINKS);
                    if (PartialBlobFile.isPartial(entry)) {
                        if (modified.compareTo(abandoned) < 0 && PartialBlobFile.deleteIfAbandoned(entry)) {
                            deleted++;
                        }
                    } else if (modified.compareTo(limit) < 0 && Files.deleteIfExists(entry)) {
                        deleted++;
                    }
                } catch (NoSuchFileException e) {
                    // Its writer renamed or removed it while we looked: nothing left to clean.
                }
            }
        }
        return deleted;
    }

    /**
     * Makes the rename durable. Not every platform can open a folder for syncing; there the rename is
     * still atomic, only its durability across a power cut is up to the file system.
     */
    private static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // See above: best effort by design.
        }
    }

    private static void setMode(Path path, Set<PosixFilePermission> mode) throws IOException {
        try {
            Files.setPosixFilePermissions(path, mode);
        } catch (UnsupportedOperationException e) {
            // A non-POSIX file system (for example FAT on a USB disk) has no modes to set.
        }
    }
}
