package dev.stevedore.image.bundle;

import dev.stevedore.image.bundle.BundleImages.Listed;
import dev.stevedore.image.bundle.BundleVerifier.Problems;
import dev.stevedore.image.bundle.IntegrityManifest.Blob;
import dev.stevedore.image.bundle.IntegrityManifest.Image;
import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.oci.ImageManifest;
import dev.stevedore.image.oci.Manifest;
import dev.stevedore.image.oci.ManifestParser;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Compares a bundle's integrity manifest with what the bundle holds: blobs by digest and size, images by
 * name, digest and platforms, each way, so that a missing item and one nobody listed are both named.
 */
final class IntegrityCheck {

    private static final String FILE = IntegrityManifest.FILE_NAME;

    private final BundleContents contents;
    private final Map<String, Long> blobSizes;
    private final List<Listed> images;
    private final Map<String, Manifest> manifests;
    private final Problems problems;

    IntegrityCheck(BundleContents contents, Map<String, Long> blobSizes, List<Listed> images, Map<String, Manifest> manifests,
                   Problems problems) {
        this.contents = contents;
        this.blobSizes = blobSizes;
        this.images = images;
        this.manifests = manifests;
        this.problems = problems;
    }

    void run() throws IOException {
        IntegrityManifest recorded;
        try (InputStream in = contents.open(FILE)) {
            byte[] bytes = in.readNBytes(64 * 1024 * 1024 + 1);
            if (bytes.length > 64 * 1024 * 1024) {
                problems.add(FILE, "unreadable (larger than 64 MB)");
                return;
            }
            recorded = IntegrityManifestCodec.read(bytes);
        } catch (InvalidIntegrityManifestException e) {
            problems.add(FILE, "unreadable (" + e.getMessage() + "): pull into the directory again to write it anew");
            return;
        }
        checkBlobs(recorded.blobs());
        checkImages(recorded.images());
    }

    private void checkBlobs(List<Blob> recorded) {
        Map<String, Long> listed = new HashMap<>();
        for (Blob blob : recorded) {
            String member = "blobs/" + blob.digest();
            listed.put(member, blob.size());
            Long size = blobSizes.get(member);
            if (size == null) {
                problems.add(member, "missing (listed in " + FILE + ")");
            } else if (size != blob.size()) {
                problems.add(member, "size is " + size + " bytes, " + FILE + " says " + blob.size());
            }
        }
        for (String member : blobSizes.keySet()) {
            if (!listed.containsKey(member)) {
                problems.add(member, "extra (not in " + FILE + ")");
            }
        }
    }

    private void checkImages(List<Image> recorded) {
        Map<String, Listed> present = new HashMap<>();
        images.forEach(image -> present.put(image.name(), image));
        Map<String, Image> listed = new HashMap<>();
        for (Image image : recorded) {
            listed.put(image.name(), image);
            String item = "image " + image.name();
            Listed found = present.get(image.name());
            if (found == null) {
                problems.add(item, "missing (listed in " + FILE + ")");
            } else if (!image.digest().equals(found.digest())) {
                problems.add(item, "is " + found.digest() + ", " + FILE + " says " + image.digest());
            } else {
                List<String> platforms = platformsOf(found);
                if (platforms != null && !platforms.equals(image.platforms())) {
                    problems.add(item, "has platforms " + platforms + ", " + FILE + " says " + image.platforms());
                }
            }
        }
        for (Listed image : images) {
            if (!listed.containsKey(image.name())) {
                problems.add("image " + image.name(), "extra (not in " + FILE + ")");
            }
        }
    }

    /** The image's platforms as the inventory records them, or null when its manifest cannot be read. */
    private List<String> platformsOf(Listed image) {
        Manifest manifest = image.member() == null ? null : manifests.get(image.member());
        if (manifest == null) {
            return null;
        }
        List<String> platforms = new ArrayList<>();
        try {
            if (manifest.isIndex()) {
                for (Descriptor child : ManifestParser.parseIndex(manifest).manifests()) {
                    if (child.platform() != null && !ManifestParser.isUnknown(child.platform())) {
                        platforms.add(child.platform().toString());
                    }
                }
            } else {
                ImageManifest single = ManifestParser.parseManifest(manifest);
                String config = "blobs/" + single.config().digest();
                if (blobSizes.containsKey(config) && blobSizes.get(config) <= Manifest.MAX_SIZE) {
                    try (InputStream in = contents.open(config)) {
                        ManifestParser.declaredPlatform(in.readNBytes(Manifest.MAX_SIZE)).ifPresent(p -> platforms.add(p.toString()));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return null; // already reported as a bad manifest or blob
        }
        return platforms.stream().filter(Objects::nonNull).distinct().sorted().toList();
    }
}
