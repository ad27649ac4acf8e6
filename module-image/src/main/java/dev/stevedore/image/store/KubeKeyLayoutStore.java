package dev.stevedore.image.store;

import dev.stevedore.image.error.ImageException;
import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.oci.Manifest;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.store.StoreOptions.KubeKeyLayout;
import dev.stevedore.image.target.BlobSource;
import dev.stevedore.image.target.ImageTarget;
import dev.stevedore.image.target.RootFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A KubeKey images directory ({@code images_dir}), read and written as KubeKey does:
 * <pre>
 * blobs/sha256:&lt;hex&gt;                                every blob, flat, shared by all images
 * &lt;registry&gt;/&lt;repository&gt;/manifests/&lt;tag&gt;          the tagged manifest or index, byte-exact
 * &lt;registry&gt;/&lt;repository&gt;/manifests/sha256:&lt;hex&gt;   manifests by digest (index children, images pulled by digest)
 * &lt;registry&gt;/&lt;repository&gt;/manifests/layout         today's KubeKey only: tag to digest map ({@link KubeKeyLayoutFile})
 * </pre>
 * Each repository folder is of one generation. One with a {@code layout} file is today's: its tags are read
 * only from that file and a tag is written only there (with the manifest by digest), never as a tag file,
 * so today's KubeKey and Stevedore always agree on what a tag names. One with tag files is the first
 * generation and gets tag files. A repository new to the directory gets {@link StoreOptions#newRepositories()}
 * (by default what the directory's other repositories use, else the first generation).
 *
 * <p>Docker Hub images are written under {@code registry-1.docker.io/}, as KubeKey names the folder, and
 * read from there or from {@code docker.io/} ({@link KubeKeyFolders}); the listing names them {@code docker.io}.
 * Updates of the {@code layout} file are serialized within this instance; two processes tagging into the
 * same repository of one directory at the same moment are not supported in that generation.
 */
public final class KubeKeyLayoutStore implements ImageTarget {

    private final StoreRoot root;
    private final StoreOptions options;
    private final AtomicFiles files;
    private final BlobFiles blobs;
    private final DirectoryRootFiles rootFiles;
    private final ColonNameCheck names;
    private final Object layoutLock = new Object();
    private KubeKeyLayout directoryGeneration; // decided once, on the first tag of a new repository; guarded by layoutLock
    private final ClosingStep closingStep;
    private final AtomicBoolean destination = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * What a store that was a copy's destination does when it closes, once: the bundle package records the
     * directory's contents there. The store knows nothing of what the step does.
     */
    @FunctionalInterface
    public interface ClosingStep {
        void afterWrites(KubeKeyLayoutStore store) throws IOException;
    }

    private KubeKeyLayoutStore(Path directory, StoreOptions options, Clock clock, ClosingStep closingStep) {
        this.root = new StoreRoot(directory);
        this.options = options;
        this.closingStep = closingStep;
        this.files = new AtomicFiles(options.staleTemporaryFileAge(), options.abandonedDownloadAge(), clock);
        this.blobs = new BlobFiles(files, options.verifyExistingBlobs());
        this.rootFiles = new DirectoryRootFiles(root, files);
        this.names = new ColonNameCheck(root.path(), describe(), files);
    }

    /** The store for {@code directory} (created on the first write), with default options. */
    public static KubeKeyLayoutStore open(Path directory) {
        return open(directory, StoreOptions.defaults());
    }

    public static KubeKeyLayoutStore open(Path directory, StoreOptions options) {
        return new KubeKeyLayoutStore(directory, options, Clock.systemUTC(), null);
    }

    /**
     * The store, running {@code closingStep} on {@link #close} when it was a destination: when a copy announced
     * an image to write ({@link #willWrite}) or wrote anything.
     */
    public static KubeKeyLayoutStore open(Path directory, StoreOptions options, ClosingStep closingStep) {
        return new KubeKeyLayoutStore(directory, options, Clock.systemUTC(), closingStep);
    }

    /** With a clock for the stale temporary file age: for tests. */
    static KubeKeyLayoutStore open(Path directory, StoreOptions options, Clock clock) {
        return new KubeKeyLayoutStore(directory, options, clock, null);
    }

    public Path directory() {
        return root.path();
    }

    @Override
    public String describe() {
        return "KubeKey images directory " + root;
    }

    @Override
    public Optional<Descriptor> resolve(ImageReference reference) throws IOException {
        return findManifest(reference).map(Manifest::descriptor);
    }

    /**
     * One read of the tag's file, where resolving and then fetching by digest would read it twice (and by digest,
     * a manifest stored only under its tag is looked for among the repository's tag files).
     */
    @Override
    public Optional<Manifest> fetchManifest(ImageReference reference) throws IOException {
        return findManifest(reference);
    }

    @Override
    public Manifest fetchManifest(ImageReference image, Digest digest) throws IOException {
        return byDigest(image, digest).orElseThrow(() -> new ImageException("manifest " + digest + " of "
                + image.name() + " is not in " + describe() + ": the directory is incomplete, pull the image again"));
    }

    /** The manifest or index a tag or digest reference names, byte-exact, or empty when absent. */
    public Optional<Manifest> findManifest(ImageReference reference) throws IOException {
        if (reference.digest() != null) {
            return byDigest(reference, reference.digest());
        }
        for (KubeKeyRepository repository : repositoriesToRead(reference)) {
            Optional<Manifest> tagged = repository.tagged(reference.tag());
            if (tagged.isPresent()) {
                return tagged;
            }
        }
        return Optional.empty();
    }

    private Optional<Manifest> byDigest(ImageReference image, Digest digest) throws IOException {
        for (KubeKeyRepository repository : repositoriesToRead(image)) {
            Optional<Manifest> found = repository.byDigest(digest);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /** Present with the descriptor's size (and digest, with {@link StoreOptions#verifyExistingBlobs()}). */
    @Override
    public boolean hasBlob(ImageReference image, Descriptor blob) throws IOException {
        return blobs.isPresent(blobPath(blob.digest()), blob);
    }

    @Override
    public InputStream openBlob(ImageReference repository, Descriptor blob) throws IOException {
        return BlobFiles.open(blobPath(blob.digest()), repository, blob, describe(), "the directory is incomplete, pull the image again");
    }

    /** When the blob is already present (see {@link #hasBlob}) the stream is not read. */
    @Override
    public void writeBlob(ImageReference repository, Descriptor blob, InputStream content) throws IOException {
        destination.set(true);
        names.require();
        blobs.write(blobPath(blob.digest()), blob, content, describe() + " (image " + repository.name() + ")");
    }

    /** A download cut earlier, even by a killed process, continues from what is on disk (see {@link BlobFiles}). */
    @Override
    public void writeBlob(ImageReference repository, Descriptor blob, BlobSource content) throws IOException {
        destination.set(true);
        names.require();
        blobs.write(blobPath(blob.digest()), blob, content, describe() + " (image " + repository.name() + ")");
    }

    @Override
    public void writeManifest(ImageReference repository, Manifest manifest) throws IOException {
        destination.set(true);
        names.require();
        repositoryToWrite(repository).writeByDigest(manifest);
    }

    @Override
    public void tag(ImageReference reference, Manifest manifest) throws IOException {
        destination.set(true);
        names.require();
        KubeKeyRepository repository = repositoryToWrite(reference);
        if (reference.tag() == null) {
            requireSameDigest(reference, manifest);
            repository.writeByDigest(manifest);
            return;
        }
        String tag = reference.tag();
        synchronized (layoutLock) {
            Optional<KubeKeyLayout> own = repository.generation();
            KubeKeyLayout generation = own.isPresent() ? own.get() : forNewRepository();
            if (generation == KubeKeyLayout.KUBEKEY_V2) {
                if (tag.equals(KubeKeyLayoutFile.NAME)) {
                    throw new ImageException("cannot store tag 'layout' of " + reference + " in " + describe()
                            + ": today's KubeKey layout uses that file name for its tag list; choose another tag");
                }
                // The manifest first: the tag list never names a file that is not there.
                repository.writeByDigest(manifest);
                Map<String, String> layout = repository.layout();
                Map<String, String> entries = layout == null ? new TreeMap<>() : layout;
                entries.put(tag, manifest.digest().toString());
                repository.writeLayout(entries);
            } else {
                repository.write(tag, manifest);
            }
        }
    }

    /** The generation for a repository without tags yet; called under {@code layoutLock}. */
    private KubeKeyLayout forNewRepository() throws IOException {
        if (options.newRepositories() != KubeKeyLayout.AS_DIRECTORY) {
            return options.newRepositories();
        }
        if (directoryGeneration == null) {
            directoryGeneration = KubeKeyDirectoryGeneration.of(root);
        }
        return directoryGeneration;
    }

    /** Marks this store as a destination, so that its closing step runs even when every image is up to date. */
    @Override
    public void willWrite(ImageReference image) {
        destination.set(true);
    }

    /** Runs the closing step, once, when this store was a destination. */
    @Override
    public void close() throws IOException {
        if (closingStep != null && destination.get() && closed.compareAndSet(false, true)) {
            closingStep.afterWrites(this);
        }
    }

    /**
     * The files at the directory's root, such as the integrity manifest and a delta's marker: plain file names
     * that KubeKey's listing ignores, written atomically (temporary file, flush, rename).
     */
    @Override
    public Optional<RootFiles> rootFiles() {
        return Optional.of(rootFiles);
    }

    @Override
    public List<ImageReference> list() throws IOException {
        return KubeKeyListing.list(root);
    }

    /** Images, blobs and blob bytes in the directory. */
    public ImagesDirectoryStats stats() throws IOException {
        return ImagesDirectoryStats.count(list().size(), root.path().resolve("blobs"));
    }

    private KubeKeyRepository repositoryToWrite(ImageReference image) throws ImageException {
        return new KubeKeyRepository(root, files, KubeKeyFolders.forWriting(image), image, describe());
    }

    private List<KubeKeyRepository> repositoriesToRead(ImageReference image) throws ImageException {
        List<KubeKeyRepository> repositories = new ArrayList<>();
        for (String folder : KubeKeyFolders.forReading(image)) {
            repositories.add(new KubeKeyRepository(root, files, folder, image, describe()));
        }
        return repositories;
    }

    private Path blobPath(Digest digest) throws ImageException {
        return root.resolve("blobs", digest.toString());
    }

    static void requireSameDigest(ImageReference reference, Manifest manifest) {
        if (reference.digest() == null || !reference.digest().equals(manifest.digest())) {
            throw new IllegalArgumentException("reference " + reference + " names neither a tag nor the digest "
                    + manifest.digest() + " of the manifest stored under it");
        }
    }
}
