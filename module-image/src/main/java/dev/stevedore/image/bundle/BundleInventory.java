package dev.stevedore.image.bundle;

import dev.stevedore.image.bundle.IntegrityManifest.Blob;
import dev.stevedore.image.bundle.IntegrityManifest.Image;
import dev.stevedore.image.bundle.IntegrityManifest.Part;
import dev.stevedore.image.error.ImageException;
import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.oci.ImageManifest;
import dev.stevedore.image.oci.MalformedManifestException;
import dev.stevedore.image.oci.Manifest;
import dev.stevedore.image.oci.ManifestParser;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.reference.InvalidReferenceException;
import dev.stevedore.image.reference.Platform;
import dev.stevedore.image.target.ImageTarget;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds the {@link IntegrityManifest} of a bundle from what it holds: the images its store lists (by the
 * store's own listing rules, so the names are the ones a push would use) and the blob members of its
 * contents. Blobs are not hashed again here: the stores verified each one as it was written, and
 * {@link BundleVerifier} is what re-hashes. Parts of an image that cannot be read (a missing child manifest)
 * are left out of its references; the verifier names them.
 */
public final class BundleInventory {

    /** Nested indexes deeper than this are not followed: no real image nests more than one level. */
    private static final int MAX_DEPTH = 4;
    /** Image configs are small JSON documents; one larger than a manifest may be is not read for its platform. */
    private static final int MAX_CONFIG_SIZE = Manifest.MAX_SIZE;

    private BundleInventory() {
    }

    /** The inventory of {@code images} (a store) whose members are {@code contents}. */
    public static IntegrityManifest of(ImageTarget images, BundleContents contents, String toolVersion, List<Part> parts)
            throws IOException {
        List<Blob> blobs = new ArrayList<>();
        for (String member : contents.members("blobs")) {
            Optional<Digest> digest = blobDigest(member);
            if (digest.isPresent()) {
                blobs.add(new Blob(digest.get(), contents.size(member)));
            }
        }
        // Each image is a few small reads (its manifests, its config); on a directory of thousands, at the close of
        // every pull, the cores read them together.
        List<Optional<Image>> read;
        try {
            read = Workers.map(images.list(), Runtime.getRuntime().availableProcessors(), "inventory", image -> entry(images, image));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while listing what " + images.describe() + " holds");
        }
        List<Image> entries = read.stream().flatMap(Optional::stream).toList();
        return new IntegrityManifest(toolVersion, blobs, entries, parts);
    }

    /** What the bundle holds as {@code image}, or empty when its tag names no manifest there. */
    private static Optional<Image> entry(ImageTarget images, ImageReference image) throws IOException {
        // One read of the root manifest (a directory's tag file), where resolving and then fetching would read it twice.
        Optional<Manifest> root = images.fetchManifest(image);
        if (root.isEmpty()) {
            return Optional.empty();
        }
        Manifest manifest = root.get();
        List<String> platforms = new ArrayList<>();
        List<Digest> references = new ArrayList<>();
        collect(images, image, manifest, platforms, references, 0);
        return Optional.of(new Image(image.toString(), manifest.digest(), manifest.mediaType(), platforms, references));
    }

    /** The digest a {@code blobs/sha256:<hex>} member is named by, or empty for any other member. */
    static Optional<Digest> blobDigest(String member) {
        if (!member.startsWith("blobs/") || member.indexOf('/', "blobs/".length()) >= 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(Digest.parse(member.substring("blobs/".length())));
        } catch (InvalidReferenceException e) {
            return Optional.empty();
        }
    }

    private static void collect(ImageTarget images, ImageReference image, Manifest manifest, List<String> platforms,
                                List<Digest> references, int depth) throws IOException {
        try {
            if (manifest.isIndex()) {
                for (Descriptor child : ManifestParser.parseIndex(manifest).manifests()) {
                    references.add(child.digest());
                    if (child.platform() != null && !ManifestParser.isUnknown(child.platform())) {
                        platforms.add(child.platform().toString());
                    }
                    if (depth < MAX_DEPTH) {
                        Optional<Manifest> stored = fetch(images, image, child.digest());
                        if (stored.isPresent()) {
                            collect(images, image, stored.get(), new ArrayList<>(), references, depth + 1);
                        }
                    }
                }
            } else {
                ImageManifest single = ManifestParser.parseManifest(manifest);
                references.add(single.config().digest());
                single.layers().forEach(layer -> references.add(layer.digest()));
                if (depth == 0) {
                    declaredPlatform(images, image, single.config()).ifPresent(p -> platforms.add(p.toString()));
                }
            }
        } catch (MalformedManifestException e) {
            // Recorded by digest only; the verifier reports the manifest as unreadable.
        }
    }

    private static Optional<Manifest> fetch(ImageTarget images, ImageReference image, Digest digest) throws IOException {
        try {
            return Optional.of(images.fetchManifest(image, digest));
        } catch (ImageException e) {
            return Optional.empty(); // not in the directory: the image is incomplete, as the verifier says
        }
    }

    private static Optional<Platform> declaredPlatform(ImageTarget images, ImageReference image, Descriptor config) {
        if (config.size() > MAX_CONFIG_SIZE) {
            return Optional.empty();
        }
        try (InputStream in = images.openBlob(image, config)) {
            return ManifestParser.declaredPlatform(in.readNBytes(MAX_CONFIG_SIZE));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // a missing or non-JSON config declares no platform; the verifier names it
        }
    }
}
