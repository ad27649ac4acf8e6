package dev.stevedore.image.store.archive;

import dev.stevedore.image.error.ImageException;
import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.reference.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A plain tar archive, written in place: each blob streams straight into a region reserved for it at the end
 * ({@link BlobMemberWriter}), many at once, and is read back through positional streams. The first write cuts
 * what a killed run left after its last complete member and continues there; a blob a killed run left under its
 * temporary name before that member is written into the same region again. The part sums are hashed behind the
 * writers ({@link RunningPartSums}).
 */
final class TarBody implements ArchiveBody {

    // Every archive this store creates begins with a member under blobs/: a blob, or the blobs folder itself.
    private static final byte[] FIRST_MEMBER_PREFIX = "blobs/".getBytes(StandardCharsets.US_ASCII);

    private final SplitFile file;
    private final Clock clock;
    private final ArchiveScan scan;
    private final long keptEnd;
    private final Map<Digest, ArchiveMember> cutRegions = new ConcurrentHashMap<>(); // members left under the temporary name
    private final AtomicLong end = new AtomicLong(-1); // -1 until the first write
    private volatile RunningPartSums partSums; // from the first write

    private TarBody(SplitFile file, Clock clock, ArchiveScan scan) {
        this.file = file;
        this.clock = clock;
        this.scan = scan;
        long kept = 0;
        Set<Digest> complete = new HashSet<>();
        for (ArchiveMember member : scan.members()) {
            if (!BlobMemberWriter.isPartial(member)) {
                kept = Math.max(kept, member.end());
                Optional.ofNullable(BlobMemberWriter.digestOf(member)).ifPresent(complete::add);
            }
        }
        for (ArchiveMember member : scan.members()) {
            Digest digest = BlobMemberWriter.partialDigestOf(member);
            // A cut blob before the last complete member stays in the archive; its region is written again.
            if (digest != null && member.end() <= kept && !complete.contains(digest)) {
                cutRegions.put(digest, member);
            }
        }
        this.keptEnd = kept;
    }

    /** Scans {@code file}, refusing one that is not a tar this store could have begun. */
    static TarBody open(SplitFile file, Clock clock) throws IOException {
        ArchiveScan scan = file.exists() ? ArchiveScan.of(file) : new ArchiveScan(List.of(), 0, null);
        if (scan.members().isEmpty() && scan.torn() != null && file.size() > 0) {
            byte[] head = file.readFully(0, (int) Math.min(file.size(), TarHeaders.BLOCK));
            // Not a tar at all (a .tar.gz, another file): writing would cut it, reading would find nothing. Space
            // reserved and not yet written reads as zeros; a first header shorter than a block, cut by a crash, is
            // this store's only if it starts as every first member it writes does (under blobs/).
            boolean ours = TarHeaders.isZero(head) || head.length < TarHeaders.BLOCK && beginsLike(head, FIRST_MEMBER_PREFIX);
            if (!ours) {
                throw new ImageException(notATar(file, scan.torn(), head));
            }
        }
        return new TarBody(file, clock, scan);
    }

    @Override
    public ArchiveScan scan() {
        return scan;
    }

    @Override
    public InputStream content(ArchiveMember member, long offset, String what) {
        return new MemberInputStream(file, member.data() + offset, member.data() + member.size(), what);
    }

    @Override
    public ArchiveMember writeBlob(Descriptor blob, InputStream content, String where) throws IOException {
        beginWriting();
        BlobMemberWriter writer = new BlobMemberWriter(file, end, clock.instant().getEpochSecond());
        ArchiveMember cut = cutRegions.remove(blob.digest());
        ArchiveMember region = cut == null ? null : BlobMemberWriter.reusableFor(cut, blob);
        if (region == null) {
            region = writer.reserve(blob);
        }
        ArchiveMember member;
        try {
            member = writer.write(region, blob, content, where);
        } catch (IOException | RuntimeException e) {
            cutRegions.put(blob.digest(), region); // the next write of this blob, in this run or the next, writes here
            throw e;
        }
        partSums.finalRegion(member.start(), member.end());
        return member;
    }

    @Override
    public boolean written() {
        return end.get() >= 0;
    }

    @Override
    public List<String> finish(List<ArchiveMetadata.Entry> entries, long mtimeSeconds) throws IOException {
        beginWriting();
        long at = end.get();
        for (ArchiveMetadata.Entry entry : entries) {
            try (SplitFileOutputStream out = new SplitFileOutputStream(file, at)) {
                entry.writeMember(mtimeSeconds, out);
                at = out.position();
            }
        }
        file.write(ByteBuffer.wrap(new byte[2 * TarHeaders.BLOCK]), at);
        at += 2 * TarHeaders.BLOCK;
        file.setLength(at);
        file.force();
        return partSums.finish(at);
    }

    @Override
    public void close() {
        if (partSums != null) {
            partSums.close();
        }
    }

    /** Cuts what a killed run left after the last complete member, once, before the first write. */
    private synchronized void beginWriting() throws IOException {
        if (end.get() >= 0) {
            return;
        }
        file.beginWriting();
        PartChecksums.discard(file);
        file.setLength(keptEnd);
        partSums = new RunningPartSums(file, keptEnd,
                cutRegions.values().stream().map(cut -> new RunningPartSums.Region(cut.start(), cut.end())).toList());
        end.set(keptEnd);
    }

    /** Whether {@code head} and {@code prefix} agree as far as both go: a cut header may be shorter than the prefix. */
    private static boolean beginsLike(byte[] head, byte[] prefix) {
        return Arrays.equals(head, 0, Math.min(head.length, prefix.length), prefix, 0, Math.min(head.length, prefix.length));
    }

    private static String notATar(SplitFile file, String why, byte[] head) {
        if (ZstdFrameBody.beginsAsOurs(head)) {
            return file.describe() + " is a zstd bundle (each member a zstd frame), not a plain tar; name it FILE.tar.zst";
        }
        Optional<CompressedFormat> compressed = CompressedFormat.of(head);
        if (compressed.isPresent()) {
            return file.describe() + " is not a tar archive: it is compressed with " + compressed.get().name() + ", and a bundle"
                    + " archive is plain tar; decompress it first, with " + compressed.get().decompress() + ", and name the tar that gives";
        }
        return file.describe() + " is not a tar archive (" + why + "); name a new file for the bundle, or a bundle written by"
                + " Stevedore or tar";
    }
}
