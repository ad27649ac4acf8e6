package dev.stevedore.image.bundle;

import dev.stevedore.image.bundle.BlobHasher.Hashed;
import dev.stevedore.image.bundle.BundleImages.Listed;
import dev.stevedore.image.bundle.VerificationReport.Problem;
import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.oci.ImageManifest;
import dev.stevedore.image.oci.MalformedManifestException;
import dev.stevedore.image.oci.Manifest;
import dev.stevedore.image.oci.ManifestParser;
import dev.stevedore.image.oci.MediaTypes;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.store.OciLayoutStore;
import dev.stevedore.spi.Progress;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks that a bundle is complete and intact, reading everything:
 * <ol>
 * <li>every blob {@code blobs/sha256:<hex>} is re-hashed, streaming on {@code threads} threads, and must hash
 * to its name;</li>
 * <li>every manifest file must be an OCI or Docker manifest or index (one stored as {@code sha256:<hex>}
 * must hash to its name), and everything it references must be there: child manifests in its folder,
 * config and layers in {@code blobs/} with the size the manifest gives (a foreign layer, with {@code urls},
 * may be absent, as pulls skip them by default);</li>
 * <li>every image (a tag, or a manifest stored only by digest) whose manifest, children or blobs are
 * missing or corrupt is named incomplete;</li>
 * <li>the integrity manifest ({@value IntegrityManifest#FILE_NAME}), when present, must match: every blob
 * it lists present with its size and no other, every image it lists with its digest and platforms and no
 * other.</li>
 * </ol>
 * Each wrong item is reported once, by its member name or as {@code image <name>}. Reads go through
 * {@link BundleContents} only, so a bundle archive is verified the same way as a directory.
 */
public final class BundleVerifier {

    private final BlobHasher hasher;

    /** @param threads how many blobs are hashed at once (the machine's processors is a good choice) */
    public BundleVerifier(int threads) {
        this.hasher = new BlobHasher(threads);
    }

    /**
     * Verifies {@code contents}, reporting into {@code progress} one item, the blobs, sized once they are listed, their bytes as
     * they are hashed: the rest (manifests, the integrity manifest) is small beside them.
     */
    public VerificationReport verify(BundleContents contents, Progress progress) throws IOException, InterruptedException {
        Problems problems = new Problems();
        List<String> notes = new ArrayList<>();
        Map<String, Long> blobSizes = new TreeMap<>();
        List<String> manifestMembers = new ArrayList<>();
        boolean hasIntegrityManifest = false;
        for (String member : contents.members()) {
            if (BundleInventory.blobDigest(member).isPresent()) {
                blobSizes.put(member, contents.size(member));
            } else if (BundleImages.folderOf(member) != null) {
                manifestMembers.add(member);
            } else if (member.equals(IntegrityManifest.FILE_NAME)) {
                hasIntegrityManifest = true;
            }
        }
        long bytes = blobSizes.values().stream().mapToLong(Long::longValue).sum();
        progress.sized(bytes);
        String blobsOf = switch (blobSizes.size()) {
            case 0 -> "no blobs";
            case 1 -> "the blob";
            default -> "the " + blobSizes.size() + " blobs";
        };
        Progress.Item item = progress.start(blobsOf + " of " + contents.describe(), bytes);
        Map<String, Hashed> hashed;
        try {
            hashed = hasher.hash(contents, blobSizes, item);
        } catch (InterruptedException e) {
            item.finish("interrupted");
            throw e;
        }
        Set<String> intactBlobs = new LinkedHashSet<>();
        for (Map.Entry<String, Long> blob : blobSizes.entrySet()) {
            checkBlob(blob.getKey(), hashed.get(blob.getKey()), problems).ifPresent(intactBlobs::add);
        }
        int spoilt = blobSizes.size() - intactBlobs.size();
        item.finish(spoilt == 0 ? "intact" : spoilt + " corrupt or unreadable");
        ManifestReader reader = new ManifestReader(contents, problems);
        Map<String, Manifest> manifests = new TreeMap<>();
        Map<String, byte[]> layouts = new TreeMap<>();
        for (String member : manifestMembers) {
            reader.read(member, manifests, layouts);
        }
        References references = new References(blobSizes, manifests, problems, notes);
        manifests.forEach(references::check);
        List<Listed> images = BundleImages.list(manifests, layouts);
        for (Listed image : images) {
            List<String> bad = references.closure(image, intactBlobs, problems);
            if (!bad.isEmpty()) {
                problems.add("image " + image.name(), "incomplete (" + describe(bad) + ")");
            }
        }
        if (hasIntegrityManifest) {
            new IntegrityCheck(contents, blobSizes, images, manifests, problems).run();
        } else if (blobSizes.isEmpty() && manifestMembers.isEmpty() && contents.cutOff().isEmpty()) {
            // Nothing a pull writes is here: a wrong path (the folder above the bundle, an OCI layout) must not
            // pass as "0 blobs, all present and intact", which an operator reads as the bundle checked.
            problems.add(contents.describe(), notABundle(contents));
        } else if (contents.cutOff().isPresent()) {
            // Stevedore writes it last: behind the cut it was not reached, which says nothing of who wrote the bundle.
            notes.add(IntegrityManifest.FILE_NAME + " not reached before the cut: the members before it were checked"
                    + " against their own manifests only");
        } else {
            notes.add("no " + IntegrityManifest.FILE_NAME + " (a bundle Stevedore did not pull into): the contents were"
                    + " checked against their own manifests only");
        }
        return new VerificationReport(contents.describe(), blobSizes.size(), bytes, manifests.size() + layouts.size(),
                images.size(), hasIntegrityManifest, problems.list(), notes);
    }

    private static String notABundle(BundleContents contents) throws IOException {
        String why = "no blobs, no manifests and no " + IntegrityManifest.FILE_NAME + ": not a bundle a pull wrote";
        if (contents.members().contains(OciLayoutStore.MARKER)) {
            return why + " (it is an OCI image layout, which verify does not check; a pull into local://DIR or"
                    + " archive://FILE.tar writes a bundle it does)";
        }
        return why + "; check the path (an images directory holds blobs/ and a folder for each registry)";
    }

    /** The blob member when it hashes to its name; otherwise records why not. */
    private static Optional<String> checkBlob(String member, Hashed hashed, Problems problems) {
        Digest expected = BundleInventory.blobDigest(member).orElseThrow();
        if (hashed.failure() != null) {
            problems.add(member, "unreadable (" + hashed.failure().getMessage() + ")");
        } else if (!hashed.digest().equals(expected)) {
            problems.add(member, "corrupt (sha256 is " + hashed.digest().hex() + ", expected " + expected.hex() + ")");
        } else {
            return Optional.of(member);
        }
        return Optional.empty();
    }

    private static String describe(List<String> bad) {
        int shown = Math.min(3, bad.size());
        String list = String.join(", ", bad.subList(0, shown));
        return bad.size() > shown ? list + " and " + (bad.size() - shown) + " more" : list;
    }

    /** The problems found so far: one per item, the first reason found. */
    static final class Problems {
        private final Map<String, String> byItem = new LinkedHashMap<>();

        void add(String item, String what) {
            byItem.putIfAbsent(item, what);
        }

        boolean has(String item) {
            return byItem.containsKey(item);
        }

        List<Problem> list() {
            List<Problem> list = new ArrayList<>();
            byItem.forEach((item, what) -> list.add(new Problem(item, what)));
            return list;
        }
    }

    /** Reads manifest members (bounded to the largest manifest size) and sorts out the ones that are not. */
    private record ManifestReader(BundleContents contents, Problems problems) {

        void read(String member, Map<String, Manifest> manifests, Map<String, byte[]> layouts) throws IOException {
            byte[] bytes;
            try (InputStream in = contents.open(member)) {
                bytes = in.readNBytes(Manifest.MAX_SIZE + 1);
            }
            if (bytes.length > Manifest.MAX_SIZE) {
                problems.add(member, "too large to be a manifest (over " + Manifest.MAX_SIZE + " bytes)");
                return;
            }
            String file = BundleImages.fileOf(member);
            Digest actual = Digest.sha256Of(bytes);
            if (file.startsWith("sha256:") && !file.equals(actual.toString())) {
                problems.add(member, "corrupt (sha256 is " + actual.hex() + ", expected " + file.substring("sha256:".length()) + ")");
                return;
            }
            String mediaType = ManifestParser.detectMediaType(bytes, null);
            if (!MediaTypes.isManifestOrIndex(mediaType)) {
                if (file.equals("layout") && BundleImages.tagMap(bytes) != null) {
                    layouts.put(member, bytes);
                } else {
                    problems.add(member, "not an OCI or Docker manifest or index");
                }
                return;
            }
            manifests.put(member, new Manifest(mediaType, actual, bytes));
        }
    }

    /** What each manifest references, and whether it is there. */
    private record References(Map<String, Long> blobSizes, Map<String, Manifest> manifests, Problems problems,
                              List<String> notes) {

        /** Records every reference of {@code member} that is missing or has another size. */
        void check(String member, Manifest manifest) {
            for (Descriptor reference : referenced(member, manifest)) {
                String item = itemOf(member, manifest, reference);
                if (manifest.isIndex()) {
                    if (!manifests.containsKey(item) && !problems.has(item)) {
                        problems.add(item, "missing (needed by " + member + ")");
                    }
                } else if (!blobSizes.containsKey(item)) {
                    if (reference.isForeign()) {
                        notes.add(item + ": a foreign layer, not in the bundle (" + member + " lists where to download it)");
                    } else {
                        problems.add(item, "missing (needed by " + member + ")");
                    }
                } else if (blobSizes.get(item) != reference.size()) {
                    problems.add(item, "size is " + blobSizes.get(item) + " bytes, " + member + " says " + reference.size());
                }
            }
        }

        /** The members an image needs that are missing, corrupt or wrong, from its root manifest down. */
        List<String> closure(Listed image, Set<String> intactBlobs, Problems found) {
            List<String> bad = new ArrayList<>();
            if (image.member() == null) {
                String item = image.digest() == null ? image.folder() + "/layout" : image.folder() + "/" + image.digest();
                found.add(item, "missing (needed by image " + image.name() + ")");
                bad.add(item);
                return bad;
            }
            walk(image.member(), intactBlobs, bad, new LinkedHashSet<>(), 0);
            return bad;
        }

        private void walk(String member, Set<String> intactBlobs, List<String> bad, Set<String> seen, int depth) {
            Manifest manifest = manifests.get(member);
            if (!seen.add(member) || depth > 8) {
                return;
            }
            if (manifest == null) {
                bad.add(member);
                return;
            }
            for (Descriptor reference : referenced(member, manifest)) {
                String item = itemOf(member, manifest, reference);
                if (manifest.isIndex()) {
                    walk(item, intactBlobs, bad, seen, depth + 1);
                } else if (blobSizes.containsKey(item) ? !intactBlobs.contains(item) || problems.has(item) : !reference.isForeign()) {
                    if (!bad.contains(item)) {
                        bad.add(item);
                    }
                }
            }
        }

        private List<Descriptor> referenced(String member, Manifest manifest) {
            try {
                if (manifest.isIndex()) {
                    return ManifestParser.parseIndex(manifest).manifests();
                }
                ImageManifest image = ManifestParser.parseManifest(manifest);
                List<Descriptor> all = new ArrayList<>();
                all.add(image.config());
                all.addAll(image.layers());
                return all;
            } catch (MalformedManifestException e) {
                problems.add(member, "unreadable manifest (" + e.getMessage() + ")");
                return List.of();
            }
        }

        private static String itemOf(String member, Manifest manifest, Descriptor reference) {
            return manifest.isIndex() ? BundleImages.folderOf(member) + "/" + reference.digest() : "blobs/" + reference.digest();
        }
    }
}
