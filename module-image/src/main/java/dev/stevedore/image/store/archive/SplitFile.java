package dev.stevedore.image.store.archive;

import dev.stevedore.image.error.ImageException;
import dev.stevedore.image.target.ArchiveFileNames;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;

/**
 * One logical byte stream stored as a single file {@code NAME} or as parts {@code NAME.part-0001},
 * {@code NAME.part-0002}, ... of exactly {@code partSize} bytes each except the last, so that {@code cat}
 * of the parts is the stream. Positional reads and writes map a logical offset to (part, offset) and are
 * safe from many threads at once, as {@link FileChannel}'s positional operations are.
 */
final class SplitFile implements AutoCloseable {

    private final Path base;
    private final boolean split;
    private final long partSize; // Long.MAX_VALUE: no cut (one file, or a single part read without a part size)
    private final List<FileChannel> channels = new ArrayList<>(); // guarded by this; null entries not yet opened
    private final List<FileState> opened; // the files as they were when opened, before anything was read of them
    private int partCount; // guarded by this
    private boolean writable; // guarded by this
    private FileLock lock; // guarded by this

    /** A file's size and time of last change: what another run's write changes. */
    private record FileState(long size, FileTime modified) {
    }

    private SplitFile(Path base, boolean split, long partSize, int partCount) throws ImageException {
        this.base = base;
        this.split = split;
        this.partSize = partSize;
        this.partCount = partCount;
        this.opened = states(partCount);
    }

    /**
     * The stream at {@code path}: the file itself, or the parts of {@code path} (or of the base name, when
     * {@code path} names a part). {@code maxPartSize} (0 for none) is what a writer asks for; parts already
     * on disk keep their own size, and one that differs from a writer's is refused.
     */
    static SplitFile open(Path path, long maxPartSize) throws ImageException {
        Path base = baseOf(path);
        List<Path> parts = existingParts(base);
        boolean single = Files.isRegularFile(base, LinkOption.NOFOLLOW_LINKS);
        if (single && !parts.isEmpty()) {
            throw new ImageException("both " + base + " and its parts " + parts.get(0).getFileName() + ", ... exist; "
                    + "remove the one that is not the bundle");
        }
        if (single) {
            if (maxPartSize > 0) {
                throw new ImageException("the bundle " + base + " exists as one file, but max_part_size asks for parts; "
                        + "remove max_part_size to continue it, or write the parts into a new bundle");
            }
            return new SplitFile(base, false, Long.MAX_VALUE, 1);
        }
        if (parts.isEmpty()) {
            return new SplitFile(base, maxPartSize > 0, maxPartSize > 0 ? maxPartSize : Long.MAX_VALUE, 0);
        }
        long first;
        try {
            first = Files.size(parts.get(0));
        } catch (IOException e) {
            throw new ImageException("cannot read " + parts.get(0) + ": " + e.getMessage(), e);
        }
        if (parts.size() == 1) {
            // One part is also the last: it may be shorter than the size the parts are cut at.
            if (maxPartSize > 0 && first > maxPartSize) {
                throw new ImageException("the part " + parts.get(0) + " has " + first + " bytes, more than max_part_size "
                        + maxPartSize + "; use the size the bundle was started with, or write into a new bundle");
            }
            return new SplitFile(base, true, maxPartSize > 0 ? maxPartSize : Long.MAX_VALUE, 1);
        }
        if (maxPartSize > 0 && maxPartSize != first) {
            throw new ImageException("the parts of " + base + " are " + first + " bytes each, but max_part_size is " + maxPartSize
                    + "; use the size the bundle was started with, or write into a new bundle");
        }
        return new SplitFile(base, true, first, parts.size());
    }

    /** The base name {@code NAME} of {@code NAME} or of one of its parts {@code NAME.part-0001}, absolute. */
    static Path baseOf(Path path) {
        return ArchiveFileNames.base(path.toAbsolutePath().normalize());
    }

    /** The files on disk, in order: the one file, or every part. */
    synchronized List<Path> files() {
        List<Path> files = new ArrayList<>();
        for (int i = 1; i <= partCount; i++) {
            files.add(path(i));
        }
        return files;
    }

    /** {@code NAME.part-0001}, ... as far as they go without a gap; a later part after a gap is an error. */
    private static List<Path> existingParts(Path base) throws ImageException {
        List<Path> parts = new ArrayList<>();
        Path next = ArchiveFileNames.part(base, 1);
        while (Files.isRegularFile(next, LinkOption.NOFOLLOW_LINKS)) {
            parts.add(next);
            next = ArchiveFileNames.part(base, parts.size() + 1);
        }
        for (int later = parts.size() + 2; later <= parts.size() + 3; later++) {
            Path beyond = ArchiveFileNames.part(base, later);
            if (Files.exists(beyond, LinkOption.NOFOLLOW_LINKS)) {
                throw new ImageException("part " + next.getFileName() + " of the bundle " + base + " is missing, but "
                        + beyond.getFileName() + " is there; copy the missing part next to the others");
            }
        }
        return parts;
    }

    /** For messages: the file, or the first part and how many there are. */
    synchronized String describe() {
        if (!split) {
            return base.toString();
        }
        return ArchiveFileNames.part(base, 1) + (partCount > 1 ? " (" + partCount + " parts)" : "");
    }

    Path base() {
        return base;
    }

    /** The size every part but the last has; {@link Long#MAX_VALUE} for one file that is never cut. */
    long partSize() {
        return partSize;
    }

    boolean isSplit() {
        return split;
    }

    boolean exists() {
        synchronized (this) {
            return partCount > 0;
        }
    }

    /** The logical length: the sum of the parts' sizes. */
    synchronized long size() throws IOException {
        long size = 0;
        for (int i = 1; i <= partCount; i++) {
            size += Files.size(path(i));
        }
        return size;
    }

    /**
     * From now on writes are allowed: the channels are opened for writing and the first file is locked, so
     * that a second process writing the same bundle fails fast instead of interleaving with this one.
     */
    synchronized void beginWriting() throws IOException {
        if (lock != null) {
            return;
        }
        if (split && partSize == Long.MAX_VALUE) {
            throw new ImageException("the bundle " + describe() + " is in parts; give max_part_size to continue writing it");
        }
        closeChannels();
        writable = true;
        FileLock taken = null;
        try {
            try {
                taken = channel(0).tryLock();
            } catch (OverlappingFileLockException e) {
                taken = null;
            }
            if (taken == null) {
                throw new ImageException("another run is writing the bundle " + describe() + "; wait for it to finish");
            }
            // What this run knows of the bundle (its members, where it ends) was read when it was opened, before
            // the lock: another run that wrote it since, and has finished, would be overwritten from a stale end.
            if (!opened.equals(states(partCount))) {
                throw new ImageException("another run wrote the bundle " + describe() + " since this one read it; run the"
                        + " task again, once that run has finished");
            }
        } catch (IOException | RuntimeException e) {
            // Not writable after all: a later write must ask again, not write without the lock.
            if (taken != null) {
                taken.release();
            }
            closeChannels();
            writable = false;
            throw e;
        }
        lock = taken;
    }

    /**
     * {@link #beginWriting}, unless another run is writing the bundle or has written it since it was opened: then
     * false, and this run leaves the bundle to it.
     */
    synchronized boolean tryBeginWriting() throws IOException {
        try {
            beginWriting();
            return true;
        } catch (ImageException e) {
            return false;
        }
    }

    /**
     * The state of the first {@code known} files, and of any that have appeared after them. An empty file counts
     * as absent: it holds nothing to overwrite, and opening a new bundle for writing creates one.
     */
    private List<FileState> states(int known) throws ImageException {
        List<FileState> states = new ArrayList<>();
        for (int number = 1; number <= known || Files.exists(path(number), LinkOption.NOFOLLOW_LINKS); number++) {
            try {
                BasicFileAttributes attributes = Files.readAttributes(path(number), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                states.add(attributes.size() == 0 ? null : new FileState(attributes.size(), attributes.lastModifiedTime()));
            } catch (NoSuchFileException e) {
                states.add(null);
            } catch (IOException e) {
                throw new ImageException("cannot read " + path(number) + ": " + e.getMessage(), e);
            }
            if (!split) {
                break;
            }
        }
        while (!states.isEmpty() && states.get(states.size() - 1) == null) {
            states.remove(states.size() - 1);
        }
        return states;
    }

    /** Reads up to {@code dst.remaining()} bytes at {@code position}; -1 at the end of the stream. */
    int read(ByteBuffer dst, long position) throws IOException {
        int part = (int) (position / partSize);
        FileChannel channel = channelOrNull(part);
        if (channel == null) {
            return -1;
        }
        long inPart = position - part * partSize;
        int limit = dst.limit();
        dst.limit((int) Math.min(limit, dst.position() + (partSize - inPart)));
        try {
            return channel.read(dst, inPart);
        } finally {
            dst.limit(limit);
        }
    }

    /** Reads exactly {@code length} bytes at {@code position}, or fails naming where the stream ended. */
    byte[] readFully(long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (read(buffer, position + buffer.position()) < 0) {
                throw new java.io.EOFException(describe() + " ends at " + (position + buffer.position())
                        + " bytes, inside a member that needs " + (position + length));
            }
        }
        return buffer.array();
    }

    /** Writes all of {@code src} at {@code position}, across part boundaries, creating parts as needed. */
    void write(ByteBuffer src, long position) throws IOException {
        long at = position;
        while (src.hasRemaining()) {
            int part = (int) (at / partSize);
            long inPart = at - part * partSize;
            int limit = src.limit();
            src.limit((int) Math.min(limit, src.position() + (partSize - inPart)));
            try {
                FileChannel channel = channel(part);
                while (src.hasRemaining()) {
                    int n = channel.write(src, inPart);
                    inPart += n;
                    at += n;
                }
            } finally {
                src.limit(limit);
            }
        }
    }

    /**
     * Cuts the stream to {@code length} bytes (parts after it are deleted) and makes every part but the
     * last exactly the part size, even where a region reserved but never written left a part short.
     */
    synchronized void setLength(long length) throws IOException {
        int lastPart = length == 0 ? 0 : (int) ((length - 1) / partSize);
        for (int i = partCount - 1; i > lastPart; i--) {
            closeChannel(i);
            Files.deleteIfExists(path(i + 1));
            channels.remove(i);
        }
        partCount = Math.min(partCount, lastPart + 1);
        for (int i = 0; i <= lastPart && length > 0; i++) {
            long want = i < lastPart ? partSize : length - lastPart * partSize;
            FileChannel channel = channel(i);
            if (channel.size() > want) {
                channel.truncate(want);
            } else if (channel.size() < want) {
                channel.write(ByteBuffer.wrap(new byte[1]), want - 1);
            }
        }
    }

    /** Flushes every part to the disk. */
    synchronized void force() throws IOException {
        for (FileChannel channel : channels) {
            if (channel != null) {
                channel.force(true);
            }
        }
    }

    /**
     * Flushes the parts' data to the disk while writes go on: unlike {@link #force}, it holds no lock while the
     * disk works, so writers (which look their part's channel up under the lock) do not wait for it.
     */
    void flushData() throws IOException {
        List<FileChannel> open;
        synchronized (this) {
            open = new ArrayList<>(channels);
        }
        for (FileChannel channel : open) {
            if (channel != null && channel.isOpen()) {
                channel.force(false);
            }
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (lock != null && lock.isValid()) {
            lock.release();
        }
        closeChannels();
    }

    private Path path(int number) {
        return split ? ArchiveFileNames.part(base, number) : base;
    }

    private synchronized FileChannel channelOrNull(int part) throws IOException {
        return part < partCount ? channel(part) : null;
    }

    private synchronized FileChannel channel(int part) throws IOException {
        if (!writable && part >= partCount) {
            throw new IllegalStateException("part " + (part + 1) + " does not exist and the bundle is read only");
        }
        while (channels.size() <= part) {
            channels.add(null);
        }
        FileChannel channel = channels.get(part);
        if (channel == null) {
            if (writable) {
                Files.createDirectories(base.getParent());
                channel = FileChannel.open(path(part + 1), StandardOpenOption.READ, StandardOpenOption.WRITE,
                        StandardOpenOption.CREATE, LinkOption.NOFOLLOW_LINKS);
            } else {
                channel = FileChannel.open(path(part + 1), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
            }
            channels.set(part, channel);
            partCount = Math.max(partCount, part + 1);
        }
        return channel;
    }

    private void closeChannel(int part) throws IOException {
        if (part < channels.size() && channels.get(part) != null) {
            channels.get(part).close();
            channels.set(part, null);
        }
    }

    private void closeChannels() throws IOException {
        for (int i = 0; i < channels.size(); i++) {
            closeChannel(i);
        }
        channels.clear();
    }
}
