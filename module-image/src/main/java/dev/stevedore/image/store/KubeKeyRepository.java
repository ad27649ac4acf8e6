package dev.stevedore.image.store;

import dev.stevedore.image.ImageException;
import dev.stevedore.image.oci.Manifest;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.ImageReference;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * One repository's {@code <registry>/<repository>/manifests} folder of a KubeKey images directory: tag
 * files, manifests by digest and the newer generation's {@code layout} file. Every path is checked to
 * stay inside the store root.
 */
final class KubeKeyRepository {

    private final StoreRoot root;
    private final AtomicFiles files;
    private final Path folder;
    private final String where;

    KubeKeyRepository(StoreRoot root, AtomicFiles files, ImageReference image, String store) throws ImageException {
        this.root = root;
        this.files = files;
        this.folder = root.resolve(image.registry(), image.repository(), "manifests");
        this.where = image.name() + " in " + store;
    }

    /**
     * The manifest a tag file holds; empty when there is no tag file, or when the file is the newer
     * generation's {@code layout} file (a tag can be named {@code layout} too).
     */
    Optional<Manifest> tagFile(String tag) throws IOException {
        Optional<byte[]> bytes = ManifestFiles.readSmall(root.child(folder, tag));
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        Optional<Manifest> manifest = ManifestFiles.asManifest(bytes.get());
        if (manifest.isEmpty() && !tag.equals(KubeKeyLayoutFile.NAME)) {
            throw new ImageException(folder.resolve(tag) + " is not an OCI or Docker manifest or index (tag " + tag + " of "
                    + where + "); remove the file or pull the image again");
        }
        return manifest;
    }

    /** The manifest stored as {@code sha256:<hex>}, else a tag file with that digest (the first generation's root). */
    Optional<Manifest> byDigest(Digest digest) throws IOException {
        Optional<Manifest> stored = ManifestFiles.read(root.child(folder, digest.toString()), digest, where);
        if (stored.isPresent() || !Files.isDirectory(folder)) {
            return stored;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            for (Path entry : entries) {
                if (!entry.getFileName().toString().startsWith("sha256:") && !AtomicFiles.isTemporary(entry)) {
                    Optional<Manifest> candidate = ManifestFiles.readSmall(entry).flatMap(ManifestFiles::asManifest);
                    if (candidate.isPresent() && candidate.get().digest().equals(digest)) {
                        return candidate;
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** The valid entries of the {@code layout} file; empty when there is none. */
    Map<String, Digest> layoutTags() throws IOException {
        Map<String, String> raw = layout();
        return raw == null ? Map.of() : KubeKeyLayoutFile.tags(raw);
    }

    /** Every string entry of the {@code layout} file, or null when there is no such file (or it holds a manifest). */
    Map<String, String> layout() throws IOException {
        return ManifestFiles.readSmall(root.child(folder, KubeKeyLayoutFile.NAME)).map(KubeKeyLayoutFile::parseRaw).orElse(null);
    }

    void writeLayout(Map<String, String> entries) throws IOException {
        Path file = root.child(folder, KubeKeyLayoutFile.NAME);
        try {
            files.writeBytes(file, KubeKeyLayoutFile.format(entries));
        } catch (IOException e) {
            throw StoreFailures.onWrite(e, folder, "the tag list of " + where);
        }
    }

    /** Stores the manifest by digest. */
    void writeByDigest(Manifest manifest) throws IOException {
        write(manifest.digest().toString(), manifest);
    }

    /** Stores the manifest as {@code name} unless the file already holds exactly these bytes. */
    void write(String name, Manifest manifest) throws IOException {
        Path file = root.child(folder, name);
        Optional<byte[]> present = ManifestFiles.readSmall(file);
        if (present.isPresent() && Arrays.equals(present.get(), manifest.bytes())) {
            return;
        }
        try {
            files.writeBytes(file, manifest.bytes());
        } catch (IOException e) {
            throw StoreFailures.onWrite(e, folder, "manifest " + manifest.digest() + " of " + where);
        }
    }

    boolean hasFile(String name) throws IOException {
        return BlobFiles.size(root.child(folder, name)).isPresent();
    }
}
