package dev.stevedore.image.store.archive;

import dev.stevedore.image.error.ImageException;
import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.oci.Manifest;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.store.StoreFailures;
import dev.stevedore.image.target.ArchiveFileNames;
import dev.stevedore.image.target.ImageTarget;
import dev.stevedore.image.target.RootFiles;
import dev.stevedore.spi.Cancellation;
import dev.stevedore.spi.Progress;
import dev.stevedore.spi.TaskLog;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bundle archive: one tar file (or its parts, see {@link SplitFile}) whose members are a KubeKey images
 * directory, so that {@code tar -x} gives the directory a pull into {@code images_dir} writes, file for
 * file and byte for byte. A {@code .tar} is read and written in place ({@link TarBody}); a {@code .tar.zst} is
 * the same tar, each member compressed as its own zstd frame ({@link ZstdFrameBody}). Either way a pull streams
 * each blob into its member, many at once, and a push reads any blob without extracting anything.
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

    // Blobs written since the last flush before a writer flushes them: the close then waits for the last
    // few only, not for the whole bundle to reach the disk, as a directory's pull flushes each blob file.
    private static final long FLUSH_EVERY = 64L * 1024 * 1024;

    private final SplitFile file;
    private final ArchiveBody body;
    private final ArchiveOptions options;
    private final Clock clock;
    private final ArchiveMetadata metadata;
    private final Map<Digest, ArchiveMember> blobs = new ConcurrentHashMap<>();
    private final Set<Digest> trusted = ConcurrentHashMap.newKeySet();
    private final Map<Digest, Object> blobLocks = new ConcurrentHashMap<>();
    private final String torn;
    private final ClosingStep closingStep;
    private final AtomicBoolean destination = new AtomicBoolean();
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

    private ArchiveStore(SplitFile file, ArchiveBody body, ArchiveOptions options, Clock clock, ClosingStep closingStep)
            throws IOException {
        this.file = file;
        this.body = body;
        this.options = options;
        this.clock = clock;
        this.closingStep = closingStep;
        ArchiveScan scan = body.scan();
        for (ArchiveMember member : scan.members()) {
            Digest digest = BlobMemberWriter.digestOf(member);
            if (digest != null) {
                blobs.put(digest, member);
            }
        }
        this.torn = scan.torn();
        this.metadata = ArchiveMetadata.stage(scan.members(), member -> body.content(member, 0, "member " + member.name()),
                options.store());
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
        ArchiveBody body = null;
        try {
            body = ArchiveBody.open(file, clock);
            return new ArchiveStore(file, body, options, clock, closingStep);
        } catch (IOException | RuntimeException e) {
            if (body != null) {
                body.close();
            }
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
        } catch (CorruptMemberException e) {
            return false; // a frame that does not decode: written again, as a blob whose bytes hash otherwise is
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
            String where = describe() + " (image " + image.name() + ")";
            ArchiveMember member;
            try {
                member = body.writeBlob(blob, content, where);
            } catch (IOException e) {
                throw StoreFailures.ifRefusedByTheFileSystem(e, directory(), "blob " + blob.digest() + " for " + where);
            }
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
     * when the sums exist, and fails naming the first part that is corrupt or missing. Its progress is a batch
     * of its own, before the copy's: on a USB disk the check of a large bundle takes minutes.
     */
    @Override
    public synchronized void willRead(List<ImageReference> images, TaskLog log, Cancellation cancellation) throws IOException {
        if (partsChecked) {
            return;
        }
        PartChecksums.Result result;
        if (PartChecksums.hasSums(file.base())) {
            try (Progress progress = log.progress("check " + file.base().getFileName(), 1, 0, "hashed")) {
                result = PartChecksums.check(file.base(), progress, cancellation);
            }
        } else {
            result = PartChecksums.check(file.base());
        }
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

    /**
     * Where a blob member {@link #members} lists starts in the archive, counted over its parts; empty for the
     * metadata, which is read from its staged copy. For reading members in the order they lie.
     */
    public OptionalLong memberOffset(String name) {
        ArchiveMember blob = blobMember(name);
        return blob == null ? OptionalLong.empty() : OptionalLong.of(blob.start());
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
            if (closingStep != null && (destination.get() || body.written())) {
                try {
                    closingStep.beforeClose(this);
                } catch (IOException e) {
                    stepFailure = e; // the pull's manifests are appended all the same
                }
            }
            List<ArchiveMetadata.Entry> changes = metadata.changes();
            if (!body.written() && !ArchiveMetadata.hasFiles(changes)) {
                if (destination.get() && torn == null && file.exists() && !Files.exists(PartChecksums.sumsOf(file.base()))
                        && file.tryBeginWriting()) { // not while another run writes it: the sums would be of a part of it
                    PartChecksums.write(file); // a run killed after its last member but before the sums
                }
                if (stepFailure != null) {
                    throw stepFailure;
                }
                return;
            }
            try {
                PartChecksums.write(file, body.finish(changes, clock.instant().getEpochSecond()));
            } catch (IOException e) {
                throw StoreFailures.ifRefusedByTheFileSystem(e, directory(), "the manifests and checksums of " + describe());
            }
            if (stepFailure != null) {
                throw stepFailure;
            }
        } finally {
            try {
                body.close();
                file.close();
            } finally {
                metadata.close();
            }
        }
    }

    /** Where the archive's parts are, the directory a full disk is named by. */
    private Path directory() {
        return file.base().toAbsolutePath().getParent();
    }

    private InputStream stream(ArchiveMember member, long offset) throws IOException {
        return body.content(member, offset, "blob member " + member.name() + " of " + describe());
    }

    private String tornNote() {
        return torn == null ? "" : " (the archive " + torn + ": a part may be missing or the archive was cut)";
    }
}
