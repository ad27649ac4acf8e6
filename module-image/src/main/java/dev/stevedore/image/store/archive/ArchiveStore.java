package dev.stevedore.image.store.archive;

import dev.stevedore.image.error.ImageException;
import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.oci.Manifest;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.target.ArchiveFileNames;
import dev.stevedore.image.target.ImageTarget;
import dev.stevedore.image.target.RootFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bundle archive: one tar file (or its parts, see {@link SplitFile}) whose members are a KubeKey images
 * directory, so that {@code tar -x} gives the directory a pull into {@code images_dir} writes, file for
 * file and byte for byte. It is read and written in place: a pull streams each blob straight into its
 * member ({@link BlobMemberWriter}), many at once; a push reads any blob through a positional stream
 * without extracting anything.
 *
 * <p>Opening scans the headers once ({@link ArchiveScan}): complete blob members are indexed by digest,
 * members a failed or killed write left under a temporary name are skipped, and the manifests and tag
 * lists are staged for the directory layout's own logic ({@link ArchiveMetadata}). The first write cuts
 * what a killed run left after its last complete member and continues there, so blobs already in the
 * archive are not fetched again. {@link #close()} appends the manifests and tag lists that changed and the
 * end-of-archive marker, then writes the SHA-256 of every part beside them ({@link PartChecksums}), hashed
 * behind the writers as their blobs complete ({@link RunningPartSums}); an archive
 * that was only read is never written. A {@link ClosingStep} (the bundle package's integrity manifest) runs
 * just before, so that what it writes into {@link #rootFiles} is appended with the other metadata.
 *
 * <p>Read as the source of a copy ({@link #willRead}), every part is first hashed against those sums, when
 * they exist: a corrupt or missing part fails the copy, named, before any image is read from the archive.
 */
public final class ArchiveStore implements ImageTarget {

    private static final int CHUNK = 64 * 1024;
    // Blobs written since the last flush before a writer flushes them: the close then waits for the last
    // few only, not for the whole bundle to reach the disk, as a directory's pull flushes each blob file.
    private static final long FLUSH_EVERY = 64L * 1024 * 1024;
    // Every archive this store creates begins with a member under blobs/: a blob, or the blobs folder itself.
    private static final byte[] FIRST_MEMBER_PREFIX = "blobs/".getBytes(StandardCharsets.US_ASCII);

    private final SplitFile file;
    private final ArchiveOptions options;
    private final Clock clock;
    private final ArchiveMetadata metadata;
    private final Map<Digest, ArchiveMember> blobs = new ConcurrentHashMap<>();
    private final Set<Digest> trusted = ConcurrentHashMap.newKeySet();
    private final Map<Digest, Object> blobLocks = new ConcurrentHashMap<>();
    private final Map<Digest, ArchiveMember> cutRegions = new ConcurrentHashMap<>(); // members left under the temporary name
    private final long keptEnd;
    private final String torn;
    private final AtomicLong end = new AtomicLong(-1); // -1 until the first write
    private final ClosingStep closingStep;
    private final AtomicBoolean destination = new AtomicBoolean();
    private volatile RunningPartSums partSums; // from the first write
    private final AtomicLong unflushed = new AtomicLong();
    private final AtomicBoolean flushing = new AtomicBoolean();
    private boolean partsChecked; // guarded by this
    private String caveat; // guarded by this
    private boolean closed; // guarded by this

    /**
     * What an archive that was a copy's destination does once, as it closes, before its metadata is appended:
     * the bundle package records the archive's contents there. The store knows nothing of what the step does.
     */
    @FunctionalInterface
    public interface ClosingStep {
        void beforeClose(ArchiveStore store) throws IOException;
    }

    private ArchiveStore(SplitFile file, ArchiveOptions options, Clock clock, ClosingStep closingStep) throws IOException {
        this.file = file;
        this.options = options;
        this.clock = clock;
        this.closingStep = closingStep;
        ArchiveScan scan = file.exists() ? ArchiveScan.of(file) : new ArchiveScan(List.of(), 0, null);
        if (scan.members().isEmpty() && scan.torn() != null && file.size() > 0) {
            byte[] head = file.readFully(0, (int) Math.min(file.size(), TarHeaders.BLOCK));
            // Not a tar at all (a .tar.gz, another file): writing would cut it, reading would find nothing. Space
            // reserved and not yet written reads as zeros; a first header shorter than a block, cut by a crash, is
            // this store's only if it starts as every first member it writes does (under blobs/).
            boolean ours = TarHeaders.isZero(head) || head.length < TarHeaders.BLOCK && beginsLike(head, FIRST_MEMBER_PREFIX);
            if (!ours) {
                throw new ImageException(notATar(file, scan.torn(), CompressedFormat.of(head)));
            }
        }
        long kept = 0;
        for (ArchiveMember member : scan.members()) {
            if (!BlobMemberWriter.isPartial(member)) {
                kept = Math.max(kept, member.end());
                Digest digest = BlobMemberWriter.digestOf(member);
                if (digest != null) {
                    blobs.put(digest, member);
                }
            }
        }
        for (ArchiveMember member : scan.members()) {
            Digest digest = BlobMemberWriter.partialDigestOf(member);
            // A cut blob before the last complete member stays in the archive; its region is written again.
            if (digest != null && member.end() <= kept && !blobs.containsKey(digest)) {
                cutRegions.put(digest, member);
            }
        }
        this.keptEnd = kept;
        this.torn = scan.torn();
        this.metadata = ArchiveMetadata.stage(file, scan.members(), options.store());
    }

    /**
     * The bundle archive at {@code path}: a tar file, or the parts of one when {@code path} (or
     * {@code path.part-0001}) names parts. Created on the first write; reading opens nothing for writing.
     */
    public static ArchiveStore open(Path path, ArchiveOptions options) throws IOException {
        return open(path, options, Clock.systemUTC(), null);
    }

    /**
     * Whether {@code path} names an archive to open: a file, a part ({@code NAME.part-NNNN}, there or not)
     * whose sums are beside it, or the base name of parts whose first part is there.
     */
    public static boolean exists(Path path) {
        boolean part = !ArchiveFileNames.base(path).equals(path);
        return Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)
                || part && Files.exists(PartChecksums.sumsOf(path))
                || Files.isRegularFile(ArchiveFileNames.part(path, 1), LinkOption.NOFOLLOW_LINKS);
    }

    /** The archive, running {@code closingStep} as it closes when it was a destination (see {@link ClosingStep}). */
    public static ArchiveStore open(Path path, ArchiveOptions options, ClosingStep closingStep) throws IOException {
        return open(path, options, Clock.systemUTC(), closingStep);
    }

    static ArchiveStore open(Path path, ArchiveOptions options, Clock clock) throws IOException {
        return open(path, options, clock, null);
    }

    static ArchiveStore open(Path path, ArchiveOptions options, Clock clock, ClosingStep closingStep) throws IOException {
        SplitFile file = SplitFile.open(path, options.maxPartSize());
        try {
            return new ArchiveStore(file, options, clock, closingStep);
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /** The file, or the first part, the archive is read from and written to. */
    public Path path() {
        return file.isSplit() ? ArchiveFileNames.part(file.base(), 1) : file.base();
    }

    @Override
    public String describe() {
        return "bundle archive " + file.describe();
    }

    @Override
    public Optional<Descriptor> resolve(ImageReference reference) throws IOException {
        return metadata.store().findManifest(reference).map(Manifest::descriptor);
    }

    @Override
    public Optional<Manifest> fetchManifest(ImageReference reference) throws IOException {
        return metadata.store().findManifest(reference);
    }

    @Override
    public Manifest fetchManifest(ImageReference image, Digest digest) throws IOException {
        return metadata.store().findManifest(image.withDigest(digest)).orElseThrow(() -> new ImageException("manifest " + digest
                + " of " + image.name() + " is not in " + describe() + ": the bundle is incomplete" + tornNote()
                + ", pull the image into it again"));
    }

    /** Present as a complete member of the descriptor's size (and digest, with {@code verifyExistingBlobs}). */
    @Override
    public boolean hasBlob(ImageReference image, Descriptor blob) throws IOException {
        ArchiveMember member = blobs.get(blob.digest());
        if (member == null || member.size() != blob.size()) {
            return false;
        }
        if (!options.store().verifyExistingBlobs() || trusted.contains(blob.digest())) {
            return true;
        }
        MessageDigest sha256 = Digest.newSha256();
        try (InputStream in = new DigestInputStream(stream(member, 0), sha256)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        boolean intact = Digest.of(sha256.digest()).equals(blob.digest());
        if (intact) {
            trusted.add(blob.digest());
        }
        return intact;
    }

    @Override
    public InputStream openBlob(ImageReference image, Descriptor blob) throws IOException {
        return openBlob(image, blob, 0);
    }

    /** Reads from {@code offset} on directly: the archive is positional. */
    @Override
    public InputStream openBlob(ImageReference image, Descriptor blob, long offset) throws IOException {
        ArchiveMember member = blobs.get(blob.digest());
        if (member == null) {
            throw new ImageException("blob " + blob.digest() + " of " + image.name() + " is missing from " + describe()
                    + ": the bundle is incomplete" + tornNote() + ", pull the image into it again");
        }
        return stream(member, offset);
    }

    /** When the blob is already in the archive the stream is not read. */
    @Override
    public void writeBlob(ImageReference image, Descriptor blob, InputStream content) throws IOException {
        if (hasBlob(image, blob)) {
            return;
        }
        // Two images sharing a layer: the second writer waits for the first and then finds its member.
        synchronized (blobLocks.computeIfAbsent(blob.digest(), d -> new Object())) {
            if (hasBlob(image, blob)) {
                return;
            }
            beginWriting();
            BlobMemberWriter writer = new BlobMemberWriter(file, end, clock.instant().getEpochSecond());
            ArchiveMember cut = cutRegions.remove(blob.digest());
            ArchiveMember region = cut == null ? null : BlobMemberWriter.reusableFor(cut, blob);
            if (region == null) {
                region = writer.reserve(blob);
            }
            ArchiveMember member;
            try {
                member = writer.write(region, blob, content, describe() + " (image " + image.name() + ")");
            } catch (IOException | RuntimeException e) {
                cutRegions.put(blob.digest(), region); // the next write of this blob, in this run or the next, writes here
                throw e;
            }
            partSums.finalRegion(member.start(), member.end());
            blobs.put(blob.digest(), member);
            trusted.add(blob.digest());
        }
        flushNowAndThen(blob.size());
    }

    /** Flushes the archive every {@link #FLUSH_EVERY} bytes of blobs; one writer at a time, the others go on. */
    private void flushNowAndThen(long written) throws IOException {
        if (unflushed.addAndGet(written) < FLUSH_EVERY || !flushing.compareAndSet(false, true)) {
            return;
        }
        try {
            unflushed.set(0);
            file.flushData();
        } finally {
            flushing.set(false);
        }
    }

    @Override
    public void writeManifest(ImageReference image, Manifest manifest) throws IOException {
        metadata.store().writeManifest(image, manifest);
    }

    @Override
    public void tag(ImageReference image, Manifest manifest) throws IOException {
        metadata.store().tag(image, manifest);
    }

    @Override
    public List<ImageReference> list() throws IOException {
        return metadata.store().list();
    }

    /**
     * Before a copy reads any image from the archive: hashes every part against {@code NAME.sha256}, once,
     * when the sums exist, and fails naming the first part that is corrupt or missing.
     */
    @Override
    public synchronized void willRead(List<ImageReference> images) throws IOException {
        if (partsChecked) {
            return;
        }
        PartChecksums.Result result = PartChecksums.check(file.base());
        Optional<String> refusal = PartChecksums.refusal(result, describe());
        if (refusal.isPresent()) {
            throw new ImageException(refusal.get());
        }
        partsChecked = true;
        if (!result.present()) {
            String sums = result.sums().getFileName().toString();
            caveat = describe() + " has no " + sums + " beside it (an archive made by tar, or one whose pull did not finish):"
                    + " its parts were not checked before reading, only each blob as it streams; carry " + sums
                    + " with the parts, or write it with `sha256sum " + file.base().getFileName() + " > " + sums
                    + "` where the bundle was made";
        }
    }

    @Override
    public synchronized Optional<String> readCaveat() {
        return Optional.ofNullable(caveat);
    }

    /** Why the archive's headers stop before an end-of-archive marker (a killed write, a missing last part), if they do. */
    public Optional<String> torn() {
        return Optional.ofNullable(torn);
    }

    /** Marks the archive as a destination, so that its closing step runs even when every image is up to date. */
    @Override
    public void willWrite(ImageReference image) {
        destination.set(true);
    }

    /**
     * Its root files, such as the integrity manifest: members at the root of the images directory the archive
     * holds, staged as the metadata is and appended at close when their bytes differ from the archive's.
     */
    @Override
    public Optional<RootFiles> rootFiles() {
        return metadata.store().rootFiles();
    }

    /**
     * The archive's files as {@code tar -x} would give them, by member name, sorted: every complete blob
     * ({@code blobs/sha256:<hex>}), every manifest and tag list, and the root files.
     */
    public List<String> members() throws IOException {
        List<String> names = new ArrayList<>(metadata.files());
        blobs.keySet().forEach(digest -> names.add("blobs/" + digest));
        names.sort(null);
        return names;
    }

    /** The size of a member {@link #members} lists. */
    public long memberSize(String name) throws IOException {
        ArchiveMember blob = blobMember(name);
        if (blob != null) {
            return blob.size();
        }
        return Files.size(metadataFile(name));
    }

    /** Streams a member {@link #members} lists, from the archive (a blob) or its staged copy (metadata). */
    public InputStream openMember(String name) throws IOException {
        ArchiveMember blob = blobMember(name);
        if (blob != null) {
            return stream(blob, 0);
        }
        return Files.newInputStream(metadataFile(name));
    }

    private ArchiveMember blobMember(String name) {
        if (!name.startsWith("blobs/")) {
            return null;
        }
        try {
            return blobs.get(Digest.parse(name.substring("blobs/".length())));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private Path metadataFile(String name) throws NoSuchFileException {
        Path staged = metadata.file(name);
        if (staged == null) {
            throw new NoSuchFileException(name, null, "not a member of " + describe());
        }
        return staged;
    }

    /**
     * Appends the manifests and tag lists that changed, and the end-of-archive marker; flushes. An archive
     * nothing was written to is left as it was. Idempotent.
     */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        IOException stepFailure = null;
        try {
            if (closingStep != null && (destination.get() || end.get() >= 0)) {
                try {
                    closingStep.beforeClose(this);
                } catch (IOException e) {
                    stepFailure = e; // the pull's manifests are appended all the same
                }
            }
            List<ArchiveMetadata.Entry> changes = metadata.changes();
            if (end.get() < 0 && !ArchiveMetadata.hasFiles(changes)) {
                if (destination.get() && torn == null && file.exists() && !Files.exists(PartChecksums.sumsOf(file.base()))) {
                    PartChecksums.write(file); // a run killed after its last member but before the sums
                }
                if (stepFailure != null) {
                    throw stepFailure;
                }
                return;
            }
            beginWriting();
            long at = end.get();
            for (ArchiveMetadata.Entry entry : changes) {
                at = append(entry, at);
            }
            file.write(ByteBuffer.wrap(new byte[2 * TarHeaders.BLOCK]), at);
            at += 2 * TarHeaders.BLOCK;
            file.setLength(at);
            file.force();
            PartChecksums.write(file, partSums.finish(at));
            if (stepFailure != null) {
                throw stepFailure;
            }
        } finally {
            try {
                if (partSums != null) {
                    partSums.close();
                }
                file.close();
            } finally {
                metadata.close();
            }
        }
    }

    private long append(ArchiveMetadata.Entry entry, long at) throws IOException {
        long mtime = clock.instant().getEpochSecond();
        if (entry.directory()) {
            byte[] header = TarHeaders.member(entry.name() + "/", 0, TarHeaders.DIRECTORY, 0755, mtime);
            file.write(ByteBuffer.wrap(header), at);
            return at + header.length;
        }
        long size = Files.size(entry.file());
        byte[] header = TarHeaders.member(entry.name(), size, TarHeaders.REGULAR, 0644, mtime);
        file.write(ByteBuffer.wrap(header), at);
        long position = at + header.length;
        byte[] chunk = new byte[CHUNK];
        long copied = 0;
        try (InputStream in = Files.newInputStream(entry.file())) {
            for (int n; copied < size && (n = in.read(chunk, 0, (int) Math.min(CHUNK, size - copied))) > 0; ) {
                file.write(ByteBuffer.wrap(chunk, 0, n), position + copied);
                copied += n;
            }
        }
        if (copied != size) {
            throw new ImageException("the staged file " + entry.file() + " changed while " + describe() + " was closed");
        }
        long padded = TarHeaders.padded(size);
        if (padded > size) {
            file.write(ByteBuffer.wrap(new byte[(int) (padded - size)]), position + size);
        }
        return position + padded;
    }

    /** Cuts what a killed run left after the last complete member, once, before the first write. */
    private synchronized void beginWriting() throws IOException {
        if (end.get() >= 0) {
            return;
        }
        file.beginWriting();
        PartChecksums.discard(file);
        file.setLength(keptEnd);
        partSums = new RunningPartSums(file, keptEnd, cutRegions.values());
        end.set(keptEnd);
    }

    private InputStream stream(ArchiveMember member, long offset) {
        return new MemberInputStream(file, member.data() + offset, member.data() + member.size(),
                "blob member " + member.name() + " of " + describe());
    }

    /** Whether {@code head} and {@code prefix} agree as far as both go: a cut header may be shorter than the prefix. */
    private static boolean beginsLike(byte[] head, byte[] prefix) {
        return Arrays.equals(head, 0, Math.min(head.length, prefix.length), prefix, 0, Math.min(head.length, prefix.length));
    }

    private static String notATar(SplitFile file, String why, Optional<CompressedFormat> compressed) {
        if (compressed.isPresent()) {
            return file.describe() + " is not a tar archive: it is compressed with " + compressed.get().name() + ", and a bundle"
                    + " archive is plain tar; decompress it first, with " + compressed.get().decompress() + ", and name the tar that gives";
        }
        return file.describe() + " is not a tar archive (" + why + "); name a new file for the bundle, or a bundle written by"
                + " Stevedore or tar";
    }

    private String tornNote() {
        return torn == null ? "" : " (the archive " + torn + ": a part may be missing or the archive was cut)";
    }
}
