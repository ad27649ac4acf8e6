package dev.stevedore.image.copy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.oci.ImageIndex;
import dev.stevedore.image.oci.MalformedManifestException;
import dev.stevedore.image.oci.Manifest;
import dev.stevedore.image.oci.ManifestParser;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.Platform;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Selects the entries of an index that a {@link PlatformSelection} asks for (contract, section 6), and
 * fetches every manifest below it that is to be copied.
 *
 * <p>With {@code all}, or when every entry is selected, the original index is kept byte for byte, so its
 * digest is unchanged. Otherwise a new index is built from the original JSON with only the selected
 * entries: every other field ({@code schemaVersion}, {@code mediaType}, {@code annotations}, ...) and
 * each kept entry are carried over as they were; the new bytes have a new digest. Which entries are kept:
 * <ul>
 * <li>an entry whose platform matches;
 * <li>an entry without a platform (an artifact, a nested index), as containerd keeps them: it is of no
 *     other platform;
 * <li>a nested index (an entry that is itself an index) is filtered the same way, and kept when anything
 *     in it is; when it was rebuilt, its entry in the parent points at the new digest and size;
 * <li>a BuildKit attestation manifest ({@code vnd.docker.reference.type: attestation-manifest}) when the
 *     manifest its {@code vnd.docker.reference.digest} names is kept: the provenance and SBOM of what
 *     was kept go along with it.
 * </ul>
 * BuildKit's {@code unknown/unknown} is not a platform: it never matches and is never reported. An index
 * in which no manifest has a platform, or that declares an {@code artifactType}, is an artifact and is
 * kept whole under any selection.
 *
 * <p>A rebuilt top-level index carries the digest of the index it was taken from, in the annotation
 * {@value #FILTERED_FROM}: a re-run can then tell from a HEAD of the source's tag that the selection it holds
 * is still the one it would make, without a GET of the source's index (Docker Hub counts a GET as a pull).
 */
public final class PlatformFilter {

    static final String REFERENCE_TYPE = "vnd.docker.reference.type";
    static final String REFERENCE_DIGEST = "vnd.docker.reference.digest";
    static final String ATTESTATION = "attestation-manifest";
    /** The annotation of a selection's index that names the index it was selected from. */
    public static final String FILTERED_FROM = "dev.stevedore.index.filtered-from";

    private static final ObjectMapper JSON = new ObjectMapper();

    private PlatformFilter() {
    }

    /** Fetches the manifest or index an index entry points at, byte-exact and verified. */
    @FunctionalInterface
    public interface Children {
        Manifest fetch(Descriptor entry) throws IOException;
    }

    /**
     * What to copy of an index.
     *
     * @param index     the index to write: the original, or the rebuilt subset
     * @param manifests every manifest and nested index below {@code index} to write, each before any index
     *                  that refers to it
     * @param platforms the platforms of the kept manifests, as {@code os/arch[/variant]}
     * @param missing   requested platforms that no manifest has
     * @param available every platform the index has, for messages
     * @param artifact  the index is an artifact (no manifest in it has a platform, or it has an {@code artifactType})
     */
    public record Selection(Manifest index, List<Manifest> manifests, List<String> platforms, List<Platform> missing,
                            List<String> available, boolean artifact) {
        public Selection {
            manifests = List.copyOf(manifests);
            platforms = List.copyOf(platforms);
            missing = List.copyOf(missing);
            available = List.copyOf(available);
        }

        /** Nothing of any requested platform is left (what is left, if anything, has no platform). */
        public boolean nothingLeft() {
            return platforms.isEmpty();
        }
    }

    public static Selection select(Manifest index, PlatformSelection selection, Children source) throws IOException {
        // Each manifest is fetched once, however often the walk meets it (an artifact index is walked twice).
        Map<Digest, Manifest> fetched = new HashMap<>();
        Children children = entry -> {
            Manifest manifest = fetched.get(entry.digest());
            if (manifest == null) {
                manifest = source.fetch(entry);
                fetched.put(entry.digest(), manifest);
            }
            return manifest;
        };
        Walk filtered = walk(index, selection, children);
        boolean artifact = filtered.available.isEmpty() || !ManifestParser.parseIndex(index).artifactType().isEmpty();
        Walk walk = artifact && !selection.all() ? walk(index, PlatformSelection.ALL, children) : filtered;
        List<Platform> missing = selection.all() || artifact ? List.of() : selection.platforms().stream()
                .filter(wanted -> walk.kept.stream().noneMatch(wanted::matches)).toList();
        Manifest written = walk.written == index ? index : withAnnotation(walk.written, FILTERED_FROM, index.digest().toString());
        return new Selection(written, List.copyOf(walk.below.values()), strings(walk.kept), missing,
                strings(walk.available), artifact);
    }

    /** The digest of the index {@code index} was selected from ({@link #FILTERED_FROM}), if it says so. */
    public static Optional<Digest> filteredFrom(Manifest index) {
        try {
            JsonNode value = JSON.readTree(index.bytes()).path("annotations").path(FILTERED_FROM);
            return value.isTextual() ? Optional.of(Digest.parse(value.asText())) : Optional.empty();
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    private static Manifest withAnnotation(Manifest index, String key, String value) {
        try {
            ObjectNode root = (ObjectNode) JSON.readTree(index.bytes());
            JsonNode annotations = root.path("annotations");
            (annotations.isObject() ? (ObjectNode) annotations : root.putObject("annotations")).put(key, value);
            return Manifest.of(JSON.writeValueAsBytes(root), index.mediaType());
        } catch (IOException | ClassCastException e) {
            throw new MalformedManifestException("index " + index.digest() + " cannot be filtered by platform: " + e.getMessage());
        }
    }

    /** One index, filtered. {@code below} is keyed by digest so a manifest reached twice is written once. */
    private static final class Walk {
        Manifest written;
        final Map<Digest, Manifest> below = new LinkedHashMap<>();
        final List<Platform> kept = new ArrayList<>();
        final List<Platform> available = new ArrayList<>();
        boolean keptAny;
    }

    private static Walk walk(Manifest index, PlatformSelection selection, Children children) throws IOException {
        List<Descriptor> entries = ManifestParser.parseIndex(index).manifests();
        Walk walk = new Walk();
        Map<Integer, Manifest> keptEntries = new TreeMap<>();
        Set<Digest> keptManifests = new HashSet<>();
        List<Integer> attestations = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Descriptor entry = entries.get(i);
            if (isAttestation(entry)) {
                attestations.add(i);
                continue;
            }
            Platform platform = entry.platform();
            boolean known = platform != null && !ManifestParser.isUnknown(platform);
            if (known) {
                walk.available.add(platform);
            }
            if (!selection.all() && platform != null && (!known || selection.match(platform).isEmpty())) {
                continue;
            }
            Manifest child = children.fetch(entry);
            if (child.isIndex()) {
                Walk nested = walk(child, selection, children);
                walk.available.addAll(nested.available);
                if (!nested.keptAny && !selection.all()) {
                    continue;
                }
                walk.below.putAll(nested.below);
                walk.kept.addAll(nested.kept);
                child = nested.written;
            } else if (known) {
                walk.kept.add(platform);
            }
            walk.below.putIfAbsent(child.digest(), child);
            keptEntries.put(i, child);
            keptManifests.add(entry.digest());
        }
        for (int i : attestations) {
            Descriptor entry = entries.get(i);
            if (selection.all() || keptManifests.contains(referencedDigest(entry))) {
                Manifest attestation = children.fetch(entry);
                walk.below.putIfAbsent(attestation.digest(), attestation);
                keptEntries.put(i, attestation);
            }
        }
        walk.keptAny = !keptEntries.isEmpty();
        boolean unchanged = keptEntries.size() == entries.size()
                && keptEntries.entrySet().stream().allMatch(e -> e.getValue().digest().equals(entries.get(e.getKey()).digest()));
        walk.written = unchanged ? index : rebuild(index, keptEntries);
        return walk;
    }

    private static boolean isAttestation(Descriptor entry) {
        return ATTESTATION.equals(entry.annotations().get(REFERENCE_TYPE)) && entry.annotations().containsKey(REFERENCE_DIGEST);
    }

    private static Digest referencedDigest(Descriptor entry) {
        try {
            return Digest.parse(entry.annotations().get(REFERENCE_DIGEST));
        } catch (IllegalArgumentException e) {
            return null; // refers to nothing we can keep
        }
    }

    /** The index with only the kept entries, in their order; a rebuilt nested index's entry gets its new digest and size. */
    private static Manifest rebuild(Manifest index, Map<Integer, Manifest> kept) {
        try {
            ObjectNode root = (ObjectNode) JSON.readTree(index.bytes());
            ArrayNode original = (ArrayNode) root.get("manifests");
            ArrayNode selected = JSON.createArrayNode();
            for (Map.Entry<Integer, Manifest> entry : kept.entrySet()) {
                ObjectNode node = (ObjectNode) original.get(entry.getKey());
                Manifest child = entry.getValue();
                if (!node.path("digest").asText().equals(child.digest().toString())) {
                    node = node.deepCopy();
                    node.put("digest", child.digest().toString());
                    node.put("size", child.size());
                }
                selected.add(node);
            }
            root.set("manifests", selected);
            return Manifest.of(JSON.writeValueAsBytes(root), index.mediaType());
        } catch (IOException | ClassCastException e) {
            throw new MalformedManifestException("index " + index.digest() + " cannot be filtered by platform: " + e.getMessage());
        }
    }

    private static List<String> strings(List<Platform> platforms) {
        return platforms.stream().map(Platform::toString).distinct().toList();
    }
}
