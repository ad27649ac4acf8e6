package dev.stevedore.image.store;

import dev.stevedore.image.error.ImageException;
import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.oci.Manifest;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.target.BlobSource;
import dev.stevedore.image.target.ImageTarget;
import dev.stevedore.image.target.RootFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A standard OCI image layout, as skopeo, crane, oras and containerd read and write it:
 * <pre>
 * oci-layout            {"imageLayoutVersion":"1.0.0"}
 * index.json            the named images ({@link OciIndexFile})
 * blobs/sha256/&lt;hex&gt;    every blob and every manifest, by digest
 * </pre>
 * Updates of {@code index.json} are read-modify-write under an OS file lock on {@code oci-layout}, then an
 * atomic rename: many threads, store instances or processes may tag images into one layout at once without
 * losing an entry. Since each write is of the whole index, tags are written about once a second, many at
 * once, and the rest when the store closes ({@link PendingTags}); the store answers with them meanwhile.
 */
public final class OciLayoutStore implements ImageTarget {

    /** The file at a layout's root that marks it as one ({@code oci-layout}, image-spec image-layout.md). */
    public static final String MARKER = OciLayoutMarker.NAME;

    static final String INDEX_FILE = "index.json";

    private final StoreRoot root;
    private final AtomicFiles files;
    private final BlobFiles blobs;
    private final OciLayoutMarker marker;
    private final OciIndexCache index;
    /** The tags the index may not hold yet; one writer at a time in this instance, before the OS lock, which is per process. */
    private final PendingTags tags = new PendingTags(this::writeIndex);

    private OciLayoutStore(Path directory, StoreOptions options, Clock clock) {
        this.root = new StoreRoot(directory);
        this.files = new AtomicFiles(options.staleTemporaryFileAge(), options.abandonedDownloadAge(), clock);
        this.blobs = new BlobFiles(files, options.verifyExistingBlobs());
        this.marker = new OciLayoutMarker(root, files);
        this.index = new OciIndexCache(root.path().resolve(INDEX_FILE));
    }

    /** The layout in {@code directory} (created on the first write), with default options. */
    public static OciLayoutStore open(Path directory) {
        return open(directory, StoreOptions.defaults());
    }

    /** {@link StoreOptions#newRepositories()} does not apply here. */
    public static OciLayoutStore open(Path directory, StoreOptions options) {
        return new OciLayoutStore(directory, options, Clock.systemUTC());
    }

    static OciLayoutStore open(Path directory, StoreOptions options, Clock clock) {
        return new OciLayoutStore(directory, options, clock);
    }

    public Path directory() {
        return root.path();
    }

    @Override
    public String describe() {
        return "OCI image layout " + root;
    }

    @Override
    public Optional<Descriptor> resolve(ImageReference reference) throws IOException {
        if (reference.digest() != null) {
            return findManifest(reference).map(Manifest::descriptor);
        }
        marker.checkIfPresent();
        Optional<Descriptor> pending = tags.get(reference);
        return pending.isPresent() ? pending : Optional.ofNullable(index.named().get(reference));
    }

    @Override
    public Manifest fetchManifest(ImageReference image, Digest digest) throws IOException {
        return ManifestFiles.read(blobPath(digest), digest, "image " + image + " in " + describe())
                .orElseThrow(() -> new ImageException("manifest " + digest + " of " + image.name() + " is not in " + describe()
                        + ": the layout is incomplete, copy the image into it again"));
    }

    /** The manifest or index a tag or digest reference names, byte-exact, or empty when absent. */
    public Optional<Manifest> findManifest(ImageReference reference) throws IOException {
        Digest digest = reference.digest();
        if (digest == null) {
            Optional<Descriptor> descriptor = resolve(reference);
            if (descriptor.isEmpty()) {
                return Optional.empty();
            }
            digest = descriptor.get().digest();
        }
        return ManifestFiles.read(blobPath(digest), digest, "image " + reference + " in " + describe());
    }

    /** Present with the descriptor's size (and digest, with {@link StoreOptions#verifyExistingBlobs()}). */
    @Override
    public boolean hasBlob(ImageReference image, Descriptor blob) throws IOException {
        return blobs.isPresent(blobPath(blob.digest()), blob);
    }

    @Override
    public InputStream openBlob(ImageReference repository, Descriptor blob) throws IOException {
        return BlobFiles.open(blobPath(blob.digest()), repository, blob, describe(),
                "the layout is incomplete, copy the image into it again");
    }

    /** When the blob is already present (see {@link #hasBlob}) the stream is not read. */
    @Override
    public void writeBlob(ImageReference repository, Descriptor blob, InputStream content) throws IOException {
        marker.ensure();
        blobs.write(blobPath(blob.digest()), blob, content, describe() + " (image " + repository.name() + ")");
    }

    /** A download cut earlier, even by a killed process, continues from what is on disk (see {@link BlobFiles}). */
    @Override
    public void writeBlob(ImageReference repository, Descriptor blob, BlobSource content) throws IOException {
        marker.ensure();
        blobs.write(blobPath(blob.digest()), blob, content, describe() + " (image " + repository.name() + ")");
    }

    /**
     * Stores a manifest as a blob. When {@code repository} names exactly this manifest by digest (an image
     * pulled by digest, which the copier writes this way) it is also entered in {@code index.json}.
     */
    @Override
    public void writeManifest(ImageReference repository, Manifest manifest) throws IOException {
        if (repository.tag() == null && manifest.digest().equals(repository.digest())) {
            tag(repository, manifest);
            return;
        }
        storeManifestBlob(repository, manifest);
    }

    private void storeManifestBlob(ImageReference repository, Manifest manifest) throws IOException {
        marker.ensure();
        Path file = blobPath(manifest.digest());
        if (blobs.isPresent(file, manifest.descriptor())) {
            return;
        }
        try {
            files.writeBytes(file, manifest.bytes());
        } catch (IOException e) {
            throw StoreFailures.onWrite(e, file.getParent(), "manifest " + manifest.digest() + " of " + repository);
        }
    }

    @Override
    public void tag(ImageReference reference, Manifest manifest) throws IOException {
        if (reference.tag() == null) {
            KubeKeyLayoutStore.requireSameDigest(reference, manifest);
        }
        // A tag names the image; a digest next to it is not part of the name in index.json.
        ImageReference name = reference.tag() != null ? reference.withTag(reference.tag()) : reference;
        storeManifestBlob(reference, manifest);
        try {
            tags.add(name, manifest.descriptor());
        } catch (IOException e) {
            throw StoreFailures.onWrite(e, root.path(), "the index of " + describe() + " for " + reference);
        }
    }

    /** Writes {@code index.json} with {@code names} entered, under the OS lock. */
    private void writeIndex(Map<ImageReference, Descriptor> names) throws IOException {
        Path file = root.resolve(INDEX_FILE);
        marker.locked(() -> {
            OciIndexCache.Update update = index.forUpdate();
            update.index().putAll(names);
            files.writeBytes(file, update.index().bytes());
            index.written(update, names);
        });
    }

    /** Writes the tags {@code index.json} does not hold yet. Idempotent. */
    @Override
    public void close() throws IOException {
        try {
            tags.writeAll();
        } catch (IOException e) {
            throw StoreFailures.onWrite(e, root.path(), "the index of " + describe() + " (" + tags.names().size() + " tags)");
        }
    }

    /** The files at the layout's root beside {@code index.json} and {@code oci-layout}, such as a delta's marker. */
    @Override
    public Optional<RootFiles> rootFiles() {
        return Optional.of(new DirectoryRootFiles(root, files));
    }

    @Override
    public List<ImageReference> list() throws IOException {
        marker.checkIfPresent();
        Set<ImageReference> names = new HashSet<>(index.named().keySet());
        names.addAll(tags.names());
        return names.stream().sorted(Comparator.comparing(ImageReference::toString)).toList();
    }

    /** Images, blobs (manifests included, as the layout stores them as blobs) and their bytes. */
    public ImagesDirectoryStats stats() throws IOException {
        return ImagesDirectoryStats.count(list().size(), root.path().resolve("blobs").resolve("sha256"));
    }

    private Path blobPath(Digest digest) throws ImageException {
        return root.resolve("blobs", "sha256", digest.hex());
    }
}
