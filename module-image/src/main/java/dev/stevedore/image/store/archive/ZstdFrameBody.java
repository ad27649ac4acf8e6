package dev.stevedore.image.store.archive;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import dev.stevedore.image.error.ImageException;
import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.reference.Digest;
import java.io.EOFException;
import java.io.FilterInputStream;
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
 * any blob by decompressing its frame alone.
 *
 * <p>In front of every member frame is a skippable frame (RFC 8878 §3.1.2, which every decoder passes over)
 * holding the member frame's compressed length: {@code [skippable frame][member frame]...}. Opening walks from one
 * to the next and decompresses each member's first block or two for its headers; nothing else is read. A member's
 * {@link ArchiveMember#start} is where its skippable frame starts in the file, and {@code data - start} is the
 * length of its headers inside the frame's decompressed bytes.
 *
 * <p>A member is compressed, or stored in raw blocks when it does not compress ({@link MemberFrameOutput}: a
 * gzip layer). Its frame's size is known only once it is written, so writers cannot reserve regions as a plain
 * tar's do: each writer writes its blob's frame into a {@link FrameStaging} (hashing and checking the blob as it
 * streams) and appends the finished frame, one writer at a time. An append is the archive's commit: a killed run leaves at
 * most a frame cut short at the end, which the next write cuts off. Staged frames beyond a megabyte wait in
 * {@code .tmp-NAME-frame-*} files beside the archive; the next writer deletes those a killed run left.
 */
final class ZstdFrameBody implements ArchiveBody {

    private static final int CHUNK = 64 * 1024;
    private static final int IN_MEMORY = 1 << 20;
    // A skippable frame's magic is 0x184D2A50 to 0x184D2A5F; the zstd seekable format takes ...5E.
    private static final int SKIPPABLE_MAGIC = 0x184D2A5A;
    private static final byte[] MARK = "STVD".getBytes(StandardCharsets.US_ASCII);
    private static final int PAYLOAD = MARK.length + Long.BYTES;
    /** The skippable frame before each member frame: magic, payload size, mark, the member frame's length. */
    static final int PREFIX = 2 * Integer.BYTES + PAYLOAD;
    private static final int ZSTD_MAGIC = 0xFD2FB528;

    /** A member's frame: its skippable frame starts at {@code start}, the member frame ends at {@code end}. */
    private record Frame(long start, long end) {
        long compressed() {
            return start + PREFIX;
        }
    }

    private final SplitFile file;
    private final Clock clock;
    private final ArchiveScan scan;
    private final Map<Long, Frame> frames = new ConcurrentHashMap<>(); // by member start
    private final AtomicLong stagingNames = new AtomicLong();
    private final Object appendLock = new Object();
    private long end = -1; // guarded by appendLock; -1 until the first write
    private volatile RunningPartSums partSums; // from the first write

    private ZstdFrameBody(SplitFile file, Clock clock, ArchiveScan scan, Map<Long, Frame> found) {
        this.file = file;
        this.clock = clock;
        this.scan = scan;
        frames.putAll(found);
    }

    /** Walks the frames of {@code file}, refusing one that is not a zstd bundle this store could have begun. */
    static ZstdFrameBody open(SplitFile file, Clock clock) throws IOException {
        Map<Long, Frame> frames = new ConcurrentHashMap<>();
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
            if (!isPrefix(prefix)) {
                if (at == 0) {
                    throw new ImageException(notOurs(file, prefix));
                }
                torn = "the bytes at " + at + " are not a member frame";
                break;
            }
            long frameEnd = at + PREFIX + ByteBuffer.wrap(prefix, 2 * Integer.BYTES + MARK.length, Long.BYTES)
                    .order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (frameEnd <= at + PREFIX || frameEnd > length) {
                torn = "the member frame at " + at + " is cut off";
                break;
            }
            Frame frame = new Frame(at, frameEnd);
            ArchiveScan.Header header;
            try (InputStream in = decompressing(file, frame)) {
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
        return new ZstdFrameBody(file, clock, new ArchiveScan(members, at, torn), frames);
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
        InputStream in = decompressing(file, frame);
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
        // A stored frame is a few bytes longer than the member; a compressed one shorter.
        long member = headers.length + TarHeaders.padded(blob.size());
        FrameStaging staged = new FrameStaging(stagingPath("blob-" + blob.digest().hex()), IN_MEMORY, member + member / 40_000 + 64);
        try {
            try (OutputStream out = new MemberFrameOutput(staged)) {
                out.write(headers);
                byte[] chunk = new byte[CHUNK];
                BlobMemberWriter.copyVerified(blob, content, where, chunk, (n, written) -> out.write(chunk, 0, n));
                out.write(new byte[(int) (TarHeaders.padded(blob.size()) - blob.size())]);
            }
            long start = append(staged);
            return new ArchiveMember(name, TarHeaders.REGULAR, start, start + headers.length, blob.size());
        } finally {
            staged.discard();
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
            long member = entry.directory() ? TarHeaders.BLOCK : Files.size(entry.file()) + 2 * TarHeaders.BLOCK;
            FrameStaging staged = new FrameStaging(stagingPath("metadata-" + stagingNames.incrementAndGet()), IN_MEMORY, member);
            try {
                try (OutputStream out = new MemberFrameOutput(staged)) {
                    entry.writeMember(mtimeSeconds, out);
                }
                append(staged);
            } finally {
                staged.discard();
            }
        }
        FrameStaging marker = new FrameStaging(null, IN_MEMORY, 64);
        try (OutputStream out = new MemberFrameOutput(marker)) {
            out.write(new byte[2 * TarHeaders.BLOCK]);
        }
        append(marker);
        synchronized (appendLock) {
            file.setLength(end);
            file.force();
            return partSums.finish(end);
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
        ByteBuffer prefix = ByteBuffer.allocate(PREFIX).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(SKIPPABLE_MAGIC).putInt(PAYLOAD).put(MARK).putLong(staged.size()).flip();
        synchronized (appendLock) {
            long at = end;
            file.write(prefix, at);
            staged.copyTo(file, at + PREFIX);
            end = at + PREFIX + staged.size();
            frames.put(at, new Frame(at, end));
            partSums.finalRegion(at, end);
            return at;
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
            partSums = new RunningPartSums(file, scan.end(), List.of());
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

    private static InputStream decompressing(SplitFile file, Frame frame) throws IOException {
        return new ZstdInputStreamNoFinalizer(new MemberInputStream(file, frame.compressed(), frame.end(),
                "the member frame at " + frame.start() + " of " + file.describe()));
    }

    /** Whether a file's first bytes are the skippable frame this body writes before its first member. */
    static boolean beginsAsOurs(byte[] head) {
        return head.length >= PREFIX && isPrefix(Arrays.copyOf(head, PREFIX));
    }

    private static boolean isPrefix(byte[] prefix) {
        ByteBuffer bytes = ByteBuffer.wrap(prefix).order(ByteOrder.LITTLE_ENDIAN);
        return bytes.getInt() == SKIPPABLE_MAGIC && bytes.getInt() == PAYLOAD
                && Arrays.equals(prefix, 2 * Integer.BYTES, 2 * Integer.BYTES + MARK.length, MARK, 0, MARK.length);
    }

    private static String notOurs(SplitFile file, byte[] head) {
        if (ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).getInt() == ZSTD_MAGIC) {
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
    private static final class MemberContent extends FilterInputStream {

        private final String what;
        private long remaining;

        MemberContent(InputStream frame, long size, String what) {
            super(frame);
            this.remaining = size;
            this.what = what;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (remaining <= 0) {
                return -1;
            }
            int n;
            try {
                n = in.read(buffer, offset, (int) Math.min(length, remaining));
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
