package dev.stevedore.image.store;

import dev.stevedore.image.error.ImageException;
import dev.stevedore.image.oci.Manifest;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.store.StoreOptions.KubeKeyLayout;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * One repository's {@code <registry>/<repository>/manifests} folder of a KubeKey images directory: tag
 * files, manifests by digest and today's {@code layout} file. A folder holding a {@code layout} file is
 * of today's generation ({@link KubeKeyLayout#KUBEKEY_V2}): its tags are read only from that file, as
 * today's KubeKey reads them, so a stale tag file next to it is never taken. Every path is checked to
 * stay inside the store root.
 */
final class KubeKeyRepository {

    private final StoreRoot root;
    private final AtomicFiles files;
    private final Path folder;
    private final String where;

    /** The repository of {@code image} under the top-level folder {@code registryFolder} (see {@link KubeKeyFolders}). */
    KubeKeyRepository(StoreRoot root, AtomicFiles files, String registryFolder, ImageReference image, String store)
            throws ImageException {
        this.root = root;
        this.files = files;
        this.folder = root.resolve(registryFolder, image.repository(), "manifests");
        this.where = image.name() + " in " + store;
    }

    /** The generation this folder is written in, or empty when it holds no tag in either form yet. */
    Optional<KubeKeyLayout> generation() throws IOException {
        return generationOf(folder);
    }

    /**
     * The generation of a {@code manifests} folder: today's when it has a {@code layout} tag map, the first
     * when it has a tag file (a manifest under a name not starting {@code sha256:}), else empty.
     */
    static Optional<KubeKeyLayout> generationOf(Path manifests) throws IOException {
        if (!Files.isDirectory(manifests)) {
            return Optional.empty();
        }
        if (ManifestFiles.readSmall(manifests.resolve(KubeKeyLayoutFile.NAME)).map(KubeKeyLayoutFile::parseRaw).isPresent()) {
            return Optional.of(KubeKeyLayout.KUBEKEY_V2);
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(manifests)) {
            for (Path entry : entries) {
                if (isTagFileName(entry) && readManifest(entry).isPresent()) {
                    return Optional.of(KubeKeyLayout.KUBEKEY_V1);
                }
            }
        }
        return Optional.empty();
    }

    /** The manifest a tag names in this folder, by the rule of the folder's generation; empty when absent. */
    Optional<Manifest> tagged(String tag) throws IOException {
        Map<String, String> layout = layout();
        if (layout == null) {
            return tagFile(tag);
        }
        Digest digest = KubeKeyLayoutFile.tags(layout).get(tag);
        return digest == null ? Optional.empty() : byDigest(digest);
    }

    /**
     * The manifest a tag file holds; empty when there is no tag file, or when the file is today's
     * {@code layout} file (a first-generation tag can be named {@code layout} too).
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
                if (isTagFileName(entry)) {
                    Optional<Manifest> candidate = readManifest(entry);
                    if (candidate.isPresent() && candidate.get().digest().equals(digest)) {
                        return candidate;
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** Every string entry of the {@code layout} file, or null when there is no such file (or it holds a manifest). */
    Map<String, String> layout() throws IOException {
        return ManifestFiles.readSmall(root.child(folder, KubeKeyLayoutFile.NAME)).map(KubeKeyLayoutFile::parseRaw).orElse(null);
    }

    /** Writes the tag map as today's KubeKey does ({@link KubeKeyLayoutFile#format}), atomically. */
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

    /** A name that may be a first-generation tag file: not by digest, not temporary, not a link or folder. */
    private static boolean isTagFileName(Path entry) throws IOException {
        String name = entry.getFileName().toString();
        return !name.startsWith("sha256:") && !AtomicFiles.isTemporary(entry) && RegularFiles.size(entry).isPresent();
    }

    private static Optional<Manifest> readManifest(Path file) {
        try {
            return ManifestFiles.readSmall(file).flatMap(ManifestFiles::asManifest);
        } catch (IOException e) {
            return Optional.empty(); // unreadable or too large: not a manifest, as the listing treats it
        }
    }
}
