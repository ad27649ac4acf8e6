package dev.stevedore.image.store.archive;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import dev.stevedore.image.error.ImageException;
import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.reference.Digest;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@code .tar.zst}: the bundle's tar, each member compressed as its own zstd frame (RFC 8878), so that
 * {@code zstd -d} (or {@code tar --zstd -x}) of the file gives the tar a {@code .tar} bundle holds, and a push reads
 * any blob by reading its frame alone: in place where the frame stores it as it is, through a decoder where it
 * is compressed.
 *
 * <p>In front of every member frame is a skippable frame (RFC 8878 §3.1.2, which every decoder passes over)
 * holding the member frame's compressed length: {@code [skippable frame][member frame]...}. Opening walks from one
 * to the next and decompresses each member's first block or two for its headers; nothing else is read. A member's
 * {@link ArchiveMember#start} is where its skippable frame starts in the file, and {@code data - start} is the
 * length of its headers inside the frame's decompressed bytes.
 *
 * <p>A member is compressed, or stored in raw blocks when it does not compress ({@link MemberFrameOutput}: a
 * gzip layer). A stored frame's length follows from its member's ({@link StoredFrame}), so its region is reserved
 * at the end and written in place, many at once, as a plain tar's members are; until its blob's digest is verified
 * the region is a hole, which the commit turns into the member. A compressed frame's length is known only once it
 * is written: its writer stages it in a {@link FrameStaging} (hashing and checking the blob as it streams) and
 * appends it, one writer at a time. A killed run leaves holes, which the next writes of their blobs fill, and at
 * most a frame cut short at the end, which the next write cuts off. Staged frames beyond a megabyte wait in
 * {@code .tmp-NAME-frame-*} files beside the archive; the next writer deletes those a killed run left.
 */
final class ZstdFrameBody implements ArchiveBody {

    private static final int CHUNK = 64 * 1024;
    private static final int IN_MEMORY = 1 << 20;
    // A skippable frame's magic is 0x184D2A50 to 0x184D2A5F; the zstd seekable format takes ...5E.
    private static final int SKIPPABLE_MAGIC = 0x184D2A5A;
    private static final byte[] MARK = "STVD".getBytes(StandardCharsets.US_ASCII);
    // A region reserved for a stored frame not yet complete: a skippable frame over all of it, so that decoders
    // and scans pass over it; the member's prefix replaces it once the blob's digest is verified.
    private static final byte[] HOLE = "STVH".getBytes(StandardCharsets.US_ASCII);
    private static final int PAYLOAD = MARK.length + Long.BYTES;
    /** The skippable frame before each member frame: magic, payload size, mark, the member frame's length. */
    static final int PREFIX = 2 * Integer.BYTES + PAYLOAD;
    /** A skippable frame's size field is 32 bits: a hole can cover no more. */
    private static final long MAX_HOLE = 0xFFFF_FFFFL - PAYLOAD;

    /** A member's frame (or a hole): its skippable frame starts at {@code start}, the member frame ends at {@code end}. */
    private record Frame(long start, long end) {
        /** Where the zstd frame itself begins, after the skippable one. */
        long frameStart() {
            return start + PREFIX;
        }

        long frameLength() {
            return end - start - PREFIX;
        }
    }

    private final SplitFile file;
    private final Clock clock;
    private final ArchiveScan scan;
    private final Map<Long, Frame> frames = new ConcurrentHashMap<>(); // by member start
    private final Map<Digest, Frame> holes = new ConcurrentHashMap<>(); // stored frames left unfinished, by blob
    private final AtomicLong stagingNames = new AtomicLong();
    private final Object appendLock = new Object();
    private long end = -1; // guarded by appendLock; -1 until the first write
    private volatile RunningPartSums partSums; // from the first write

    private ZstdFrameBody(SplitFile file, Clock clock, ArchiveScan scan, Map<Long, Frame> found, Map<Digest, Frame> left) {
        this.file = file;
        this.clock = clock;
        this.scan = scan;
        frames.putAll(found);
        holes.putAll(left);
    }

    /** Walks the frames of {@code file}, refusing one that is not a zstd bundle this store could have begun. */
    static ZstdFrameBody open(SplitFile file, Clock clock) throws IOException {
        Map<Long, Frame> frames = new ConcurrentHashMap<>();
        Map<Digest, Frame> holes = new ConcurrentHashMap<>();
        List<ArchiveMember> members = new ArrayList<>();
        long length = file.exists() ? file.size() : 0;
        long at = 0;
        String torn;
        while (true) {
            if (at == length) {
                torn = at == 0 ? null : "it ends after " + at + " bytes without an end-of-archive marker";
                break;
            }
            if (at + PREFIX > length) {
                torn = "a frame at " + at + " is cut off";
                break;
            }
            byte[] prefix = file.readFully(at, PREFIX);
            boolean hole = isHole(prefix);
            if (!isPrefix(prefix) && !hole) {
                if (at == 0) {
                    throw new ImageException(notOurs(file, prefix));
                }
                torn = "the bytes at " + at + " are not a member frame";
                break;
            }
            long frameEnd = at + PREFIX + frameLength(prefix);
            if (frameEnd <= at + PREFIX || frameEnd > length) {
                torn = "the member frame at " + at + " is cut off";
                break;
            }
            if (hole) {
                Frame region = new Frame(at, frameEnd);
                holeDigest(file, at).ifPresent(digest -> holes.put(digest, region));
                at = frameEnd;
                continue;
            }
            Frame frame = new Frame(at, frameEnd);
            ArchiveScan.Header header;
            try (InputStream in = memberBytes(file, frame, "the member frame at " + at + " of " + file.describe())) {
                header = ArchiveScan.header(new StreamBlocks(in), 0, Long.MAX_VALUE);
            } catch (IOException e) {
                header = new ArchiveScan.Header.Torn(e.getMessage());
            }
            if (header instanceof ArchiveScan.Header.End) {
                torn = null;
                break;
            }
            // A frame that does not decode, or holds no valid header, but whose length is known: not a member, and
            // the frames after it are kept (the sums name its part). Only a frame the file's end cuts is a torn tail.
            if (header instanceof ArchiveScan.Header.Member found) {
                ArchiveMember inFrame = found.member();
                members.add(new ArchiveMember(inFrame.name(), inFrame.type(), at, at + inFrame.data(), inFrame.size()));
                frames.put(at, frame);
            }
            at = frameEnd;
        }
        return new ZstdFrameBody(file, clock, new ArchiveScan(members, at, torn), frames, holes);
    }

    @Override
    public ArchiveScan scan() {
        return scan;
    }

    @Override
    public InputStream content(ArchiveMember member, long offset, String what) throws IOException {
        Frame frame = frames.get(member.start());
        if (frame == null) {
            throw new IllegalArgumentException("not a member of " + file.describe() + ": " + member);
        }
        InputStream in = memberBytes(file, frame, what);
        try {
            in.skipNBytes(member.data() - member.start() + offset);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw corrupt(what, e);
        }
        return new MemberContent(in, member.size() - offset, what);
    }

    @Override
    public ArchiveMember writeBlob(Descriptor blob, InputStream content, String where) throws IOException {
        beginWriting();
        String name = BlobMemberWriter.finalName(blob.digest());
        byte[] headers = TarHeaders.member(name, blob.size(), TarHeaders.REGULAR, 0644, clock.instant().getEpochSecond());
        long member = headers.length + TarHeaders.padded(blob.size());
        Placement placement = new Placement(blob.digest(), member);
        try {
            try (OutputStream out = new MemberFrameOutput(member, placement)) {
                out.write(headers);
                byte[] chunk = new byte[CHUNK];
                BlobMemberWriter.copyVerified(blob, content, where, chunk, (n, written) -> out.write(chunk, 0, n));
                out.write(new byte[(int) (TarHeaders.padded(blob.size()) - blob.size())]);
            }
            long start = placement.commit();
            return new ArchiveMember(name, TarHeaders.REGULAR, start, start + headers.length, blob.size());
        } finally {
            placement.release();
        }
    }

    @Override
    public boolean written() {
        synchronized (appendLock) {
            return end >= 0;
        }
    }

    @Override
    public List<String> finish(List<ArchiveMetadata.Entry> entries, long mtimeSeconds) throws IOException {
        beginWriting();
        for (ArchiveMetadata.Entry entry : entries) {
            long member = entry.memberLength();
            appendFrame(new FrameStaging(stagingPath("metadata-" + stagingNames.incrementAndGet()), IN_MEMORY, member), member,
                    out -> entry.writeMember(mtimeSeconds, out));
        }
        appendFrame(new FrameStaging(null, IN_MEMORY, 64), 2 * TarHeaders.BLOCK, out -> out.write(new byte[2 * TarHeaders.BLOCK]));
        synchronized (appendLock) {
            file.setLength(end);
            file.force();
            return partSums.finish(end);
        }
    }

    /** A member a metadata writer gives whole. */
    @FunctionalInterface
    private interface MemberBytes {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Stages the frame of a member of {@code length} bytes, whichever kind it takes, and appends it. */
    private void appendFrame(FrameStaging staged, long length, MemberBytes member) throws IOException {
        try {
            try (OutputStream out = new MemberFrameOutput(length, new MemberFrameOutput.Destination() {
                @Override
                public OutputStream stored(long frameLength) {
                    return staged;
                }

                @Override
                public OutputStream compressed() {
                    return staged;
                }
            })) {
                member.writeTo(out);
            }
            append(staged);
        } finally {
            staged.discard();
        }
    }

    @Override
    public void close() {
        if (partSums != null) {
            partSums.close();
        }
    }

    /** Appends a finished frame behind its skippable frame, one writer at a time; returns where it starts. */
    private long append(FrameStaging staged) throws IOException {
        synchronized (appendLock) {
            long at = end;
            file.write(prefix(MARK, PAYLOAD, staged.size()), at);
            staged.copyTo(file, at + PREFIX);
            end = at + PREFIX + staged.size();
            frames.put(at, new Frame(at, end));
            partSums.finalRegion(at, end);
            return at;
        }
    }

    /**
     * A region for the stored frame of {@code digest}, {@code frameLength} bytes behind its prefix: the hole an
     * earlier write of the same blob left, or a new one at the end, covered by a hole's skippable frame at once.
     */
    private Frame reserve(Digest digest, long frameLength) throws IOException {
        Frame region;
        synchronized (appendLock) {
            Frame left = holes.remove(digest);
            if (left != null && left.frameLength() == frameLength) {
                region = left;
            } else {
                region = new Frame(end, end + PREFIX + frameLength);
                end = region.end();
            }
        }
        file.write(prefix(HOLE, PAYLOAD + frameLength, frameLength), region.start());
        return region;
    }

    /**
     * Where one blob's frame goes: a stored frame straight into a region of the archive, written in place as a plain
     * tar's blobs are (many at once, no copy); a compressed one, whose length is known only at its end, into a
     * {@link FrameStaging} that is appended once complete.
     */
    private final class Placement implements MemberFrameOutput.Destination {

        private final Digest digest;
        private final long member;
        private Frame region;
        private FrameStaging staged;
        private boolean committed;

        Placement(Digest digest, long member) {
            this.digest = digest;
            this.member = member;
        }

        @Override
        public OutputStream stored(long frameLength) throws IOException {
            if (frameLength > MAX_HOLE) {
                return compressed(); // over 4 GiB: staged and appended, stored all the same
            }
            region = reserve(digest, frameLength);
            return new SplitFileOutputStream(file, region.frameStart());
        }

        @Override
        public OutputStream compressed() throws IOException {
            // A compressed frame is shorter than its member; the hint only decides memory or file.
            staged = new FrameStaging(stagingPath("blob-" + digest.hex()), IN_MEMORY, member);
            return staged;
        }

        /** Makes the verified frame the blob's member; returns where it starts. */
        long commit() throws IOException {
            long start;
            if (region != null) {
                // The commit: the hole's 20 bytes become the member's prefix, in one write, as a tar header is renamed.
                file.write(prefix(MARK, PAYLOAD, region.frameLength()), region.start());
                synchronized (appendLock) {
                    frames.put(region.start(), region);
                    partSums.finalRegion(region.start(), region.end());
                }
                start = region.start();
            } else {
                start = append(staged);
            }
            committed = true;
            return start;
        }

        /** Frees the staging; a region whose write failed stays a hole, which the next write of the blob fills. */
        void release() throws IOException {
            if (staged != null) {
                staged.discard();
            }
            if (region != null && !committed) {
                holes.put(digest, region);
            }
        }
    }

    /** Cuts what a killed run left after the last complete member, once, before the first write. */
    private void beginWriting() throws IOException {
        synchronized (appendLock) {
            if (end >= 0) {
                return;
            }
            file.beginWriting();
            PartChecksums.discard(file);
            file.setLength(scan.end());
            deleteStagingLeftOver();
            partSums = new RunningPartSums(file, scan.end(),
                    holes.values().stream().map(hole -> new RunningPartSums.Region(hole.start(), hole.end())).toList());
            end = scan.end();
        }
    }

    private Path stagingPath(String what) {
        return file.base().resolveSibling(stagingPrefix() + what);
    }

    private String stagingPrefix() {
        return ".tmp-" + file.base().getFileName() + "-frame-";
    }

    /** Staged frames of a killed run: this run holds the archive's lock, so no other writer owns them. */
    private void deleteStagingLeftOver() throws IOException {
        Path folder = file.base().toAbsolutePath().getParent();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            for (Path path : entries) {
                if (path.getFileName().toString().startsWith(stagingPrefix())) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    /**
     * The bytes of the member a frame holds, from its first header on: read in place from a stored frame, decoded
     * from a compressed one.
     */
    private static InputStream memberBytes(SplitFile file, Frame frame, String what) throws IOException {
        if (frame.frameLength() >= StoredFrame.HEADER_LENGTH
                && StoredFrame.isStored(file.readFully(frame.frameStart(), StoredFrame.HEADER_LENGTH))) {
            return StoredFrame.reader(file, frame.frameStart(), frame.frameLength(), what);
        }
        return new ZstdInputStreamNoFinalizer(new MemberInputStream(file, frame.frameStart(), frame.end(), what));
    }

    /** Whether a file's first bytes are the skippable frame this body writes before its first member (or a hole). */
    static boolean beginsAsOurs(byte[] head) {
        return head.length >= PREFIX && (isPrefix(Arrays.copyOf(head, PREFIX)) || isHole(Arrays.copyOf(head, PREFIX)));
    }

    /** A skippable frame of {@code size} bytes after its magic and size: {@code mark}, then {@code frameLength}. */
    private static ByteBuffer prefix(byte[] mark, long size, long frameLength) {
        return ByteBuffer.allocate(PREFIX).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(SKIPPABLE_MAGIC).putInt((int) size).put(mark).putLong(frameLength).flip();
    }

    private static boolean isPrefix(byte[] prefix) {
        return marked(prefix, MARK) && size(prefix) == PAYLOAD;
    }

    /** A hole's skippable frame covers the region: its size is the payload's and the frame's. */
    private static boolean isHole(byte[] prefix) {
        return marked(prefix, HOLE) && size(prefix) == PAYLOAD + frameLength(prefix);
    }

    private static boolean marked(byte[] prefix, byte[] mark) {
        return ByteBuffer.wrap(prefix).order(ByteOrder.LITTLE_ENDIAN).getInt() == SKIPPABLE_MAGIC
                && Arrays.equals(prefix, 2 * Integer.BYTES, 2 * Integer.BYTES + mark.length, mark, 0, mark.length);
    }

    private static long size(byte[] prefix) {
        return Integer.toUnsignedLong(ByteBuffer.wrap(prefix, Integer.BYTES, Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN).getInt());
    }

    private static long frameLength(byte[] prefix) {
        return ByteBuffer.wrap(prefix, 2 * Integer.BYTES + MARK.length, Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    /** The blob a hole at {@code at} was reserved for: its stored frame's first block begins with the member's header. */
    private static Optional<Digest> holeDigest(SplitFile file, long at) throws IOException {
        byte[] header = file.readFully(at + PREFIX + StoredFrame.offsetOf(0), TarHeaders.BLOCK);
        if (!TarHeaders.checksumMatches(header)) {
            return Optional.empty(); // killed before the header was written: a hole no write reuses
        }
        return Optional.ofNullable(BlobMemberWriter.digestOf(new ArchiveMember(TarHeaders.name(header), TarHeaders.type(header), 0, 0, 0)));
    }

    private static String notOurs(SplitFile file, byte[] head) {
        if (ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).getInt() == StoredFrame.ZSTD_MAGIC) {
            return file.describe() + " is one zstd stream (as tar --zstd or zstd write it), not a bundle Stevedore wrote, whose"
                    + " members it could read in place; decompress it with unzstd and name the .tar that gives";
        }
        Optional<CompressedFormat> other = CompressedFormat.of(head);
        if (other.isPresent()) {
            return file.describe() + " is compressed with " + other.get().name() + ", not zstd; decompress it with "
                    + other.get().decompress() + " and name the .tar that gives";
        }
        return file.describe() + " is not a zstd bundle written by Stevedore; name a new file for the bundle, or the"
                + " FILE.tar.zst a pull wrote (a plain tar bundle is named FILE.tar)";
    }

    private static IOException corrupt(String what, Exception e) {
        if (e instanceof EOFException eof) {
            return eof; // the archive was cut: MemberInputStream says so
        }
        return new CorruptMemberException(what + " does not decompress (" + e.getMessage() + "): the bundle is corrupt; copy it"
                + " again from where it was made", e);
    }

    /** Exactly a member's content: the frame's decompressed bytes after the headers, up to the member's size. */
    private static final class MemberContent extends BoundedInputStream {

        private final InputStream in;
        private final String what;
        private long remaining;

        MemberContent(InputStream frame, long size, String what) {
            this.in = frame;
            this.remaining = size;
            this.what = what;
        }

        @Override
        protected long remaining() {
            return remaining;
        }

        @Override
        protected int readWithin(byte[] buffer, int offset, int count) throws IOException {
            int n;
            try {
                n = in.read(buffer, offset, count);
            } catch (IOException | RuntimeException e) {
                throw corrupt(what, e);
            }
            if (n < 0) {
                throw new CorruptMemberException(what + " is corrupt: its frame ends " + remaining + " bytes before the member"
                        + " does; copy the bundle again from where it was made", null);
            }
            remaining -= n;
            if (remaining == 0) {
                readToTheFrameEnd();
            }
            return n;
        }

        /**
         * Reads the padding after the content, so that the decoder reaches the frame's end and checks the content
         * checksum there: an incompressible layer is stored in raw blocks, where a flipped byte shows only then.
         */
        private void readToTheFrameEnd() throws IOException {
            try {
                byte[] padding = in.readNBytes(TarHeaders.BLOCK);
                if (padding.length == TarHeaders.BLOCK || in.read() >= 0) {
                    throw new IOException("the frame goes on past the member's padding");
                }
            } catch (IOException | RuntimeException e) {
                throw corrupt(what, e);
            }
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = in.skip(Math.min(n, remaining));
            remaining -= skipped;
            return skipped;
        }

        @Override
        public int available() {
            return 0;
        }

        @Override
        public void close() throws IOException {
            in.close(); // the frame's decoder, and the positional stream under it
        }
    }

    /** Header blocks read forward from a frame's decompressed bytes. */
    private static final class StreamBlocks implements ArchiveScan.Blocks {

        private final InputStream in;
        private long position;

        StreamBlocks(InputStream in) {
            this.in = in;
        }

        @Override
        public byte[] readFully(long at, int length) throws IOException {
            in.skipNBytes(at - position);
            byte[] bytes = in.readNBytes(length);
            if (bytes.length < length) {
                throw new EOFException("the frame ends inside a header");
            }
            position = at + length;
            return bytes;
        }
    }
}
