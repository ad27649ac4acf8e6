package dev.stevedore.image.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.InvalidReferenceException;
import dev.stevedore.image.reference.Platform;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the parts of manifests and indexes that copying needs. */
public final class ManifestParser {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ManifestParser() {
    }

    /** The {@code mediaType} field of a manifest's JSON, or empty when it has none or is not JSON. */
    public static String mediaTypeOf(byte[] bytes) {
        try {
            JsonNode node = JSON.readTree(bytes);
            return node != null && node.path("mediaType").isTextual() ? node.get("mediaType").asText() : "";
        } catch (IOException e) {
            return "";
        }
    }

    public static ImageIndex parseIndex(Manifest manifest) {
        JsonNode root = read(manifest);
        List<Descriptor> children = new ArrayList<>();
        for (JsonNode entry : root.path("manifests")) {
            children.add(descriptor(entry, manifest));
        }
        return new ImageIndex(manifest.mediaType(), children);
    }

    public static ImageManifest parseManifest(Manifest manifest) {
        JsonNode root = read(manifest);
        if (!root.path("config").isObject()) {
            throw new MalformedManifestException("manifest " + manifest.digest() + " has no config");
        }
        Descriptor config = descriptor(root.get("config"), manifest);
        List<Descriptor> layers = new ArrayList<>();
        for (JsonNode layer : root.path("layers")) {
            layers.add(descriptor(layer, manifest));
        }
        return new ImageManifest(manifest.mediaType(), config, layers);
    }

    /** The platform an image config blob declares ({@code os}, {@code architecture}, {@code variant}). */
    public static Platform platformOfConfig(byte[] config) {
        try {
            JsonNode root = JSON.readTree(config);
            return new Platform(root.path("os").asText(), root.path("architecture").asText(), root.path("variant").asText(""));
        } catch (IOException | InvalidReferenceException e) {
            throw new MalformedManifestException("image config does not declare a valid os/architecture: " + e.getMessage());
        }
    }

    private static JsonNode read(Manifest manifest) {
        try {
            JsonNode root = JSON.readTree(manifest.bytes());
            if (root == null || !root.isObject()) {
                throw new MalformedManifestException("manifest " + manifest.digest() + " is not a JSON object");
            }
            return root;
        } catch (IOException e) {
            throw new MalformedManifestException("manifest " + manifest.digest() + " is not valid JSON: " + e.getMessage());
        }
    }

    private static Descriptor descriptor(JsonNode node, Manifest parent) {
        try {
            Platform platform = null;
            JsonNode p = node.get("platform");
            if (p != null && p.isObject()) {
                platform = new Platform(p.path("os").asText(), p.path("architecture").asText(), p.path("variant").asText(""));
            }
            Map<String, String> annotations = new LinkedHashMap<>();
            node.path("annotations").fields().forEachRemaining(e -> annotations.put(e.getKey(), e.getValue().asText()));
            return new Descriptor(node.path("mediaType").asText(""), Digest.parse(node.path("digest").asText()),
                    node.path("size").asLong(-1), platform, annotations);
        } catch (IllegalArgumentException e) {
            throw new MalformedManifestException("manifest " + parent.digest() + " has an invalid descriptor: " + e.getMessage());
        }
    }
}
