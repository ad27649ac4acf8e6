package dev.stevedore.image.bundle;

import dev.stevedore.image.reference.Digest;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * What a bundle holds, as {@value #FILE_NAME} at the root of a KubeKey images directory records it: a bill
 * of materials written after every pull and checked by {@code stevedore verify}. Serialized by
 * {@link IntegrityManifestCodec}, always in this field order, lists sorted, two-space indented, so that the
 * same contents give the same bytes (shown here compacted; written with one entry a line, {@code "key": value},
 * as Go's {@code MarshalIndent} writes KubeKey's {@code layout} files):
 * <pre>
 * {
 *   "mediaType": "application/vnd.stevedore.bundle.v1+json",
 *   "schemaVersion": 1,
 *   "tool": {"name": "stevedore", "version": "0.1.0"},
 *   "blobs": [ {"digest": "sha256:&lt;hex&gt;", "size": 1234}, ... ],            sorted by digest
 *   "images": [ {                                                           sorted by name
 *       "name": "docker.io/library/nginx:1.27",                             registry/repository:tag, or @digest
 *       "digest": "sha256:&lt;hex&gt;",                                           the manifest or index the name stands for
 *       "mediaType": "application/vnd.oci.image.index.v1+json",
 *       "platforms": ["linux/amd64", "linux/arm64/v8"],                     sorted; empty when none is declared
 *       "references": ["sha256:&lt;hex&gt;", ...] } ],                           child manifests, configs, layers; sorted
 *   "parts": [ {"name": "bundle.tar.part-0001", "size": 4294967296, "sha256": "&lt;hex&gt;"} ]   archive parts; empty (the sums are in NAME.sha256)
 * }
 * </pre>
 * The top-level {@code mediaType} is there for KubeKey: its push reads every JSON file of the images directory
 * outside {@code blobs/}, fails on one without a string {@code mediaType}, and skips one whose type is not a
 * manifest or index. A reader rejects another {@code mediaType} or a {@code schemaVersion} above its own.
 *
 * @param toolVersion the Stevedore version that wrote the file
 * @param blobs       every blob file under {@code blobs/}
 * @param images      every image the directory lists
 * @param parts       parts of a bundle archive with their SHA-256; empty as Stevedore writes it, the parts'
 *                    sums being beside them in {@code NAME.sha256} (see {@link IntegrityManifestCodec})
 */
public record IntegrityManifest(String toolVersion, List<Blob> blobs, List<Image> images, List<Part> parts) {

    /** The file's name at the root of the images directory. */
    public static final String FILE_NAME = "stevedore-bundle.json";
    public static final String MEDIA_TYPE = "application/vnd.stevedore.bundle.v1+json";
    public static final int SCHEMA_VERSION = 1;
    public static final String TOOL = "stevedore";

    public IntegrityManifest {
        Objects.requireNonNull(toolVersion, "toolVersion");
        blobs = blobs.stream().sorted(Comparator.comparing(b -> b.digest().toString())).toList();
        images = images.stream().sorted(Comparator.comparing(Image::name)).toList();
        parts = List.copyOf(parts);
    }

    /** One blob: {@code blobs/<digest>}. */
    public record Blob(Digest digest, long size) {
        public Blob {
            Objects.requireNonNull(digest, "digest");
            if (size < 0) {
                throw new IllegalArgumentException("negative size " + size + " of blob " + digest);
            }
        }
    }

    /**
     * One image of the directory.
     *
     * @param platforms  {@code os/architecture[/variant]}, from an index's entries or a single manifest's config
     * @param references every digest the image needs besides its own: child manifests, configs and layers
     */
    public record Image(String name, Digest digest, String mediaType, List<String> platforms, List<Digest> references) {
        public Image {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(digest, "digest");
            Objects.requireNonNull(mediaType, "mediaType");
            platforms = platforms.stream().distinct().sorted().toList();
            references = references.stream().distinct().sorted(Comparator.comparing(Digest::toString)).toList();
        }
    }

    /** One part of a split archive, with the SHA-256 of its bytes (lower-case hex). */
    public record Part(String name, long size, String sha256) {
        public Part {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(sha256, "sha256");
        }
    }
}
