package dev.stevedore.image.store;

import dev.stevedore.image.ImageException;
import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.oci.Manifest;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.store.StoreOptions.KubeKeyTags;
import dev.stevedore.image.target.ImageTarget;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A KubeKey images directory ({@code images_dir}), read and written as KubeKey does:
 * <pre>
 * blobs/sha256:&lt;hex&gt;                                every blob, flat, shared by all images
 * &lt;registry&gt;/&lt;repository&gt;/manifests/&lt;tag&gt;          the tagged manifest or index, byte-exact
 * &lt;registry&gt;/&lt;repository&gt;/manifests/sha256:&lt;hex&gt;   manifests by digest (index children, images pulled by digest)
 * &lt;registry&gt;/&lt;repository&gt;/manifests/layout         newer KubeKey only: tag to digest map ({@link KubeKeyLayoutFile})
 * </pre>
 * Tags are read from either generation (a tag file wins over a {@code layout} entry); writes use tag
 * files unless {@link StoreOptions#kubeKeyTags()} says {@link KubeKeyTags#LAYOUT_FILE}. Updates of the
 * {@code layout} file are serialized within this instance; two processes tagging into the same
 * repository of one directory at the same moment are not supported in that mode.
 */
public final class KubeKeyLayoutStore implements ImageTarget {

    private final StoreRoot root;
    private final StoreOptions options;
    private final AtomicFiles files;
    private final BlobFiles blobs;
    private final Object layoutLock = new Object();

    private KubeKeyLayoutStore(Path directory, StoreOptions options, Clock clock) {
        this.root = new StoreRoot(directory);
        this.options = options;
        this.files = new AtomicFiles(options.staleTemporaryFileAge(), clock);
        this.blobs = new BlobFiles(files, options.verifyExistingBlobs());
    }

    /** The store for {@code directory} (created on the first write), with default options. */
    public static KubeKeyLayoutStore open(Path directory) {
        return open(directory, StoreOptions.defaults());
    }

    public static KubeKeyLayoutStore open(Path directory, StoreOptions options) {
        return new KubeKeyLayoutStore(directory, options, Clock.systemUTC());
    }

    /** With a clock for the stale temporary file age: for tests. */
    static KubeKeyLayoutStore open(Path directory, StoreOptions options, Clock clock) {
        return new KubeKeyLayoutStore(directory, options, clock);
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

    @Override
    public Manifest fetchManifest(ImageReference image, Digest digest) throws IOException {
        return byDigest(image, digest).orElseThrow(() -> new ImageException("manifest " + digest + " of " + image.name()
                + " is not in " + describe() + ": the directory is incomplete, pull the image again"));
    }

    /** The manifest or index a tag or digest reference names, byte-exact, or empty when absent. */
    public Optional<Manifest> findManifest(ImageReference reference) throws IOException {
        if (reference.digest() != null) {
            return byDigest(reference, reference.digest());
        }
        Path manifests = manifestsFolder(reference);
        Optional<byte[]> bytes = ManifestFiles.readSmall(root.resolve(manifests.toString(), reference.tag()));
        if (bytes.isPresent()) {
            Optional<Manifest> tagged = ManifestFiles.asManifest(bytes.get());
            if (tagged.isPresent()) {
                return tagged;
            }
            if (!reference.tag().equals(KubeKeyLayoutFile.NAME)) {
                throw new ImageException(manifests.resolve(reference.tag()) + " is not an OCI or Docker manifest or index"
                        + " (image " + reference + " in " + describe() + "); remove the file or pull the image again");
            }
        }
        Digest digest = layoutTags(manifests).get(reference.tag());
        return digest == null ? Optional.empty() : byDigest(reference, digest);
    }

    /** Present with the descriptor's size (and digest, with {@link StoreOptions#verifyExistingBlobs()}). */
    @Override
    public boolean hasBlob(ImageReference image, Descriptor blob) throws IOException {
        return blobs.isPresent(blobPath(blob.digest()), blob);
    }

    @Override
    public InputStream openBlob(ImageReference repository, Descriptor blob) throws IOException {
        try {
            return Files.newInputStream(blobPath(blob.digest()), LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new ImageException("blob " + blob.digest() + " of " + repository.name() + " is missing from "
                    + describe() + ": the directory is incomplete, pull the image again", e);
        }
    }

    /** When the blob is already present (see {@link #hasBlob}) the stream is not read. */
    @Override
    public void writeBlob(ImageReference repository, Descriptor blob, InputStream content) throws IOException {
        blobs.write(blobPath(blob.digest()), blob, content, describe() + " (image " + repository.name() + ")");
    }

    @Override
    public void writeManifest(ImageReference repository, Manifest manifest) throws IOException {
        Path file = root.resolve(manifestsFolder(repository).toString(), manifest.digest().toString());
        writeIfDifferent(file, manifest, repository);
    }

    @Override
    public void tag(ImageReference reference, Manifest manifest) throws IOException {
        if (reference.tag() == null) {
            requireSameDigest(reference, manifest);
            writeManifest(reference, manifest);
            return;
        }
        Path manifests = manifestsFolder(reference);
        Path tagFile = root.resolve(manifests.toString(), reference.tag());
        synchronized (layoutLock) {
            Map<String, String> layout = rawLayout(manifests);
            if (reference.tag().equals(KubeKeyLayoutFile.NAME)
                    && (options.kubeKeyTags() == KubeKeyTags.LAYOUT_FILE || layout != null)) {
                throw new ImageException("cannot store tag 'layout' of " + reference + " in " + describe()
                        + ": the newer KubeKey layout uses that file name for its tag list; choose another tag");
            }
            if (options.kubeKeyTags() == KubeKeyTags.TAG_FILES) {
                writeIfDifferent(tagFile, manifest, reference);
                if (layout != null && layout.containsKey(reference.tag())) {
                    updateLayout(reference, manifests, layout, manifest); // keep both generations agreeing
                }
            } else {
                updateLayout(reference, manifests, layout == null ? new TreeMap<>() : layout, manifest);
                if (ManifestFiles.readSmall(tagFile).isPresent()) {
                    writeIfDifferent(tagFile, manifest, reference); // a stale first-generation tag file would win
                }
            }
        }
    }

    @Override
    public List<ImageReference> list() throws IOException {
        return KubeKeyListing.list(root);
    }

    /** Images, blobs and blob bytes in the directory. */
    public ImagesDirectoryStats stats() throws IOException {
        return ImagesDirectoryStats.count(list().size(), root.path().resolve("blobs"));
    }

    private void updateLayout(ImageReference reference, Path manifests, Map<String, String> layout, Manifest manifest)
            throws IOException {
        writeManifest(reference, manifest);
        layout.put(reference.tag(), manifest.digest().toString());
        Path file = root.resolve(manifests.toString(), KubeKeyLayoutFile.NAME);
        try {
            files.writeBytes(file, KubeKeyLayoutFile.format(layout));
        } catch (IOException e) {
            throw StoreFailures.onWrite(e, file.getParent(), "the tag list of " + reference.name());
        }
    }

    private Optional<Manifest> byDigest(ImageReference reference, Digest digest) throws IOException {
        Path manifests = manifestsFolder(reference);
        Optional<Manifest> stored = ManifestFiles.read(root.resolve(manifests.toString(), digest.toString()), digest,
                "image " + reference + " in " + describe());
        if (stored.isPresent()) {
            return stored;
        }
        // KubeKey's first generation keeps a tagged image only under its tag: look there too.
        Path folder = root.path().resolve(manifests);
        if (!Files.isDirectory(folder)) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!name.startsWith("sha256:") && !AtomicFiles.isTemporary(entry)) {
                    Optional<Manifest> candidate = ManifestFiles.readSmall(entry).flatMap(ManifestFiles::asManifest);
                    if (candidate.isPresent() && candidate.get().digest().equals(digest)) {
                        return candidate;
                    }
                }
            }
        }
        return Optional.empty();
    }

    private Map<String, Digest> layoutTags(Path manifests) throws IOException {
        Map<String, String> raw = rawLayout(manifests);
        return raw == null ? Map.of() : KubeKeyLayoutFile.tags(raw);
    }

    /** The {@code layout} file's entries, or null when there is no such file (or it holds a manifest). */
    private Map<String, String> rawLayout(Path manifests) throws IOException {
        Optional<byte[]> bytes = ManifestFiles.readSmall(root.resolve(manifests.toString(), KubeKeyLayoutFile.NAME));
        return bytes.map(KubeKeyLayoutFile::parseRaw).orElse(null);
    }

    private void writeIfDifferent(Path file, Manifest manifest, ImageReference image) throws IOException {
        Optional<byte[]> present = ManifestFiles.readSmall(file);
        if (present.isPresent() && java.util.Arrays.equals(present.get(), manifest.bytes())) {
            return;
        }
        try {
            files.writeBytes(file, manifest.bytes());
        } catch (IOException e) {
            throw StoreFailures.onWrite(e, file.getParent(), "manifest " + manifest.digest() + " of " + image);
        }
    }

    /** {@code <registry>/<repository>/manifests}, relative to the root; validated. */
    private Path manifestsFolder(ImageReference reference) throws ImageException {
        return root.path().relativize(root.resolve(reference.registry(), reference.repository(), "manifests"));
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
