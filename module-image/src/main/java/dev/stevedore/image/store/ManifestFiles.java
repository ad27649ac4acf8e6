package dev.stevedore.image.store;

import dev.stevedore.image.error.ImageException;
import dev.stevedore.image.oci.Manifest;
import dev.stevedore.image.oci.ManifestParser;
import dev.stevedore.image.oci.MediaTypes;
import dev.stevedore.image.reference.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/** Reading small files (manifests, index and layout files) from a store, without following links. */
final class ManifestFiles {

    private ManifestFiles() {
    }

    /** The bytes of a regular file of at most {@link Manifest#MAX_SIZE} bytes, or empty when there is none. */
    static Optional<byte[]> readSmall(Path file) throws IOException {
        OptionalLong size = RegularFiles.size(file);
        if (size.isEmpty()) {
            return Optional.empty();
        }
        if (size.getAsLong() > Manifest.MAX_SIZE) {
            throw new ImageException(file + " has " + size.getAsLong() + " bytes, more than a manifest may have ("
                    + Manifest.MAX_SIZE + "); it is not a manifest, remove it");
        }
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.of(in.readNBytes(Manifest.MAX_SIZE + 1));
        }
    }

    /**
     * A manifest or index from its bytes, or empty when it is neither. A document without a top-level
     * {@code mediaType} (image-spec 1.0, Helm 3.8 to 3.12) is typed by its structure, as the registry
     * types it ({@link ManifestParser#detectMediaType}); KubeKey's own listing skips such files.
     */
    static Optional<Manifest> asManifest(byte[] bytes) {
        String mediaType = ManifestParser.detectMediaType(bytes, null);
        return MediaTypes.isManifestOrIndex(mediaType) ? Optional.of(Manifest.of(bytes, mediaType)) : Optional.empty();
    }

    /**
     * The manifest stored in {@code file}, checked against {@code expected} when not null.
     *
     * @param where names the store and image in messages
     */
    static Optional<Manifest> read(Path file, Digest expected, String where) throws IOException {
        Optional<byte[]> bytes = readSmall(file);
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        Manifest manifest = asManifest(bytes.get()).orElseThrow(() -> new ImageException(file
                + " is not an OCI or Docker manifest or index in " + where
                + "; remove the file or pull the image again"));
        if (expected != null && !expected.equals(manifest.digest())) {
            throw DigestMismatchException.ofDigest(expected, manifest.digest(), where + " (file " + file + ")");
        }
        return Optional.of(manifest);
    }
}
