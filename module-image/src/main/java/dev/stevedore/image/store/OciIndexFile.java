package dev.stevedore.image.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.image.error.ImageException;
import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.oci.MediaTypes;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.reference.InvalidReferenceException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code index.json} of an OCI image layout, as skopeo writes it: the named images are entries of
 * {@code manifests} whose annotation {@code org.opencontainers.image.ref.name} holds the full reference
 * ({@code docker.io/library/nginx:1.27}, or {@code ...@sha256:<hex>} for an image pulled by digest).
 * Fields and entries we do not understand are kept as they are when the file is rewritten.
 */
final class OciIndexFile {

    static final String REF_NAME = "org.opencontainers.image.ref.name";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** An entry we can use: a manifest or index with a parsable digest and full reference name. */
    record Entry(ImageReference reference, Descriptor descriptor) {
    }

    private final ObjectNode root;

    private OciIndexFile(ObjectNode root) {
        this.root = root;
    }

    static OciIndexFile empty() {
        ObjectNode root = JSON.createObjectNode();
        root.put("schemaVersion", 2);
        root.putArray("manifests");
        return new OciIndexFile(root);
    }

    /** Reads {@code file}; an absent file is an empty index, an unreadable one an error naming it. */
    static OciIndexFile read(Path file) throws IOException {
        Optional<byte[]> bytes = ManifestFiles.readSmall(file);
        if (bytes.isEmpty()) {
            return empty();
        }
        JsonNode root;
        try {
            root = JSON.readTree(bytes.get());
        } catch (IOException e) {
            throw new ImageException(file + " is not valid JSON: " + e.getMessage() + "; it is not an OCI image layout index");
        }
        if (root == null || !root.isObject() || (root.has("manifests") && !root.get("manifests").isArray())) {
            throw new ImageException(file + " is not an OCI image index (no manifests list)");
        }
        ObjectNode object = (ObjectNode) root;
        if (!object.has("manifests")) {
            object.putArray("manifests");
        }
        return new OciIndexFile(object);
    }

    /** An independent copy, to change while the original is still read. */
    OciIndexFile copy() {
        return new OciIndexFile(root.deepCopy());
    }

    /** The usable named entries, in file order; entries with invalid digests or names are skipped. */
    List<Entry> entries() {
        List<Entry> entries = new ArrayList<>();
        for (JsonNode node : root.get("manifests")) {
            entry(node).ifPresent(entries::add);
        }
        return entries;
    }

    /**
     * Points each reference of {@code names} at its descriptor, in the map's order, replacing any entry of the
     * same name: one pass over the entries, however many names a batch of tags brings ({@link PendingTags}).
     */
    void putAll(Map<ImageReference, Descriptor> names) {
        ArrayNode manifests = (ArrayNode) root.get("manifests");
        Set<String> spelled = new HashSet<>();
        Set<String> suffixes = new HashSet<>();
        names.keySet().forEach(reference -> {
            spelled.add(reference.toString());
            suffixes.add(reference.digest() != null ? "@" + reference.digest() : ":" + reference.tag());
        });
        for (Iterator<JsonNode> it = manifests.elements(); it.hasNext(); ) {
            String name = it.next().path("annotations").path(REF_NAME).asText("");
            // Another spelling of the same name ends with the same tag or digest: only those are parsed.
            if (spelled.contains(name) || suffixes.contains(suffix(name)) && parseName(name).filter(names::containsKey).isPresent()) {
                it.remove();
            }
        }
        names.forEach((reference, descriptor) -> {
            ObjectNode entry = manifests.addObject();
            entry.put("mediaType", descriptor.mediaType());
            entry.put("digest", descriptor.digest().toString());
            entry.put("size", descriptor.size());
            entry.putObject("annotations").put(REF_NAME, reference.toString());
        });
    }

    /** What a name ends with that a reference to it ends with too: {@code @<digest>}, or {@code :<tag>}. */
    private static String suffix(String name) {
        int at = name.lastIndexOf('@');
        if (at >= 0) {
            return name.substring(at);
        }
        int colon = name.lastIndexOf(':');
        return colon > name.lastIndexOf('/') ? name.substring(colon) : "";
    }

    byte[] bytes() throws IOException {
        return JSON.writeValueAsBytes(root);
    }

    private static Optional<Entry> entry(JsonNode node) {
        String mediaType = node.path("mediaType").asText("");
        if (!MediaTypes.isManifestOrIndex(mediaType) || !node.path("size").canConvertToLong() || node.path("size").asLong() < 0) {
            return Optional.empty();
        }
        Optional<ImageReference> reference = parseName(node.path("annotations").path(REF_NAME).asText(""));
        try {
            Digest digest = Digest.parse(node.path("digest").asText(""));
            return reference.map(r -> new Entry(r, new Descriptor(mediaType, digest, node.path("size").asLong())));
        } catch (InvalidReferenceException e) {
            return Optional.empty();
        }
    }

    /**
     * A reference from a {@code ref.name}, when it is a full image name with an explicit tag or digest. A
     * bare tag such as {@code latest} (what {@code skopeo copy ... oci:DIR:latest} writes) names no
     * repository, so it cannot be listed as an image.
     */
    static Optional<ImageReference> parseName(String name) {
        int slash = name.lastIndexOf('/');
        if (name.indexOf(':', slash + 1) < 0 && name.indexOf('@') < 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(ImageReference.parse(name));
        } catch (InvalidReferenceException e) {
            return Optional.empty();
        }
    }
}
