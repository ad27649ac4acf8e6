package dev.stevedore.image.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.image.reference.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The OCI image index that lists referrers: the body of {@code GET /v2/<name>/referrers/<digest>} and the
 * content of the referrers tag schema's {@code sha256-<hex>} tag (distribution-spec 1.1). Both are an
 * {@code application/vnd.oci.image.index.v1+json} whose {@code manifests} carry {@code artifactType} and
 * {@code annotations}.
 */
public final class ReferrersIndex {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ReferrersIndex() {
    }

    /** The entries of a referrers index. */
    public static List<Referrer> parse(byte[] index) {
        JsonNode root;
        try {
            root = JSON.readTree(index);
        } catch (IOException e) {
            throw new MalformedManifestException("the referrers index is not valid JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new MalformedManifestException("the referrers index is not a JSON object");
        }
        List<Referrer> entries = new ArrayList<>();
        for (JsonNode entry : root.path("manifests")) {
            try {
                entries.add(new Referrer(entry.path("mediaType").asText(""), Digest.parse(entry.path("digest").asText()),
                        entry.path("size").asLong(-1), entry.path("artifactType").asText(""), annotations(entry)));
            } catch (IllegalArgumentException e) {
                throw new MalformedManifestException("the referrers index has an invalid entry: " + e.getMessage());
            }
        }
        return entries;
    }

    /**
     * A referrers index holding {@code entries} in their order, as the tag schema stores it. Written the
     * same way each time, so an unchanged list gives the same digest and the tag is not rewritten.
     */
    public static Manifest write(List<Referrer> entries) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schemaVersion", 2);
        root.put("mediaType", MediaTypes.OCI_INDEX);
        ArrayNode manifests = root.putArray("manifests");
        for (Referrer entry : entries) {
            ObjectNode node = manifests.addObject();
            node.put("mediaType", entry.mediaType());
            node.put("digest", entry.digest().toString());
            node.put("size", entry.size());
            if (!entry.artifactType().isEmpty()) {
                node.put("artifactType", entry.artifactType());
            }
            if (!entry.annotations().isEmpty()) {
                ObjectNode annotations = node.putObject("annotations");
                new TreeMap<>(entry.annotations()).forEach(annotations::put);
            }
        }
        try {
            return Manifest.of(JSON.writeValueAsString(root).getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_INDEX);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a referrers index", e);
        }
    }

    static Referrer entryOf(Manifest manifest) {
        JsonNode root;
        try {
            root = JSON.readTree(manifest.bytes());
        } catch (IOException e) {
            throw new MalformedManifestException("manifest " + manifest.digest() + " is not valid JSON: " + e.getMessage());
        }
        String artifactType = root.path("artifactType").asText("");
        if (artifactType.isEmpty() && !manifest.isIndex()) {
            artifactType = root.path("config").path("mediaType").asText("");
        }
        return new Referrer(manifest.mediaType(), manifest.digest(), manifest.size(), artifactType, annotations(root));
    }

    /** The digest a manifest's {@code subject} names, or null when it has none. */
    public static Digest subjectOf(Manifest manifest) {
        try {
            JsonNode subject = JSON.readTree(manifest.bytes()).path("subject").path("digest");
            return subject.isTextual() ? Digest.parse(subject.asText()) : null;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    private static Map<String, String> annotations(JsonNode node) {
        Map<String, String> annotations = new LinkedHashMap<>();
        node.path("annotations").fields().forEachRemaining(e -> annotations.put(e.getKey(), e.getValue().asText()));
        return annotations;
    }
}
