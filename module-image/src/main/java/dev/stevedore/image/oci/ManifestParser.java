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
import java.util.Optional;

/** Reads the parts of manifests and indexes that copying needs. */
public final class ManifestParser {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What buildx and BuildKit's image configs of attestations declare instead of a platform. */
    private static final String UNKNOWN = "unknown";

    private ManifestParser() {
    }

    /** The {@code mediaType} field of a manifest's JSON, or empty when it has none or is not JSON. */
    public static String mediaTypeOf(byte[] bytes) {
        JsonNode node = tree(bytes);
        return node != null && node.path("mediaType").isTextual() ? node.get("mediaType").asText() : "";
    }

    /**
     * The media type of a manifest document, decided as the CNCF distribution registry does. Image-spec
     * 1.0 manifests and indexes and Helm 3.8 to 3.12 charts carry no top-level {@code mediaType}, so in
     * order: the document's own {@code mediaType}; else {@code declared} (the registry's Content-Type, or
     * the descriptor that pointed at it) when it is a manifest or index type; else its structure, for a
     * {@code schemaVersion} 2 document: a {@code manifests} list is an OCI index, a {@code config} an OCI
     * manifest (Docker's formats always name their type). Empty when none of these tells.
     *
     * @param declared a media type from outside the document, or null
     */
    public static String detectMediaType(byte[] bytes, String declared) {
        JsonNode node = tree(bytes);
        if (node == null || !node.isObject()) {
            return "";
        }
        if (node.path("mediaType").isTextual() && !node.get("mediaType").asText().isEmpty()) {
            return node.get("mediaType").asText();
        }
        if (declared != null && MediaTypes.isManifestOrIndex(declared)) {
            return declared;
        }
        if (node.path("schemaVersion").asInt(0) != 2) {
            return "";
        }
        if (node.path("manifests").isArray()) {
            return MediaTypes.OCI_INDEX;
        }
        return node.path("config").isObject() ? MediaTypes.OCI_MANIFEST : "";
    }

    public static ImageIndex parseIndex(Manifest manifest) {
        JsonNode root = read(manifest);
        List<Descriptor> children = new ArrayList<>();
        for (JsonNode entry : root.path("manifests")) {
            children.add(descriptor(entry, manifest));
        }
        return new ImageIndex(manifest.mediaType(), root.path("artifactType").asText(""), children);
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
        return new ImageManifest(manifest.mediaType(), root.path("artifactType").asText(""), config, layers);
    }

    /**
     * The platform an image config blob declares ({@code os}, {@code architecture}, {@code variant}), or
     * empty when it declares none: cosign signatures leave both empty, attestations write
     * {@code unknown}. Such a manifest has no platform to select by.
     *
     * @throws MalformedManifestException when the config is not JSON or its platform is not a valid one
     */
    public static Optional<Platform> declaredPlatform(byte[] config) {
        JsonNode root;
        try {
            root = JSON.readTree(config);
        } catch (IOException e) {
            throw new MalformedManifestException("the image config is not valid JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new MalformedManifestException("the image config is not a JSON object");
        }
        String os = root.path("os").asText("");
        String architecture = root.path("architecture").asText("");
        if (os.isEmpty() || architecture.isEmpty() || (os.equals(UNKNOWN) && architecture.equals(UNKNOWN))) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Platform(os, architecture, root.path("variant").asText("")));
        } catch (InvalidReferenceException e) {
            throw new MalformedManifestException("image config does not declare a valid os/architecture: " + e.getMessage());
        }
    }

    /** Whether a platform is BuildKit's {@code unknown/unknown}, which stands for "no platform". */
    public static boolean isUnknown(Platform platform) {
        return platform != null && platform.os().equals(UNKNOWN) && platform.architecture().equals(UNKNOWN);
    }

    private static JsonNode tree(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            return null;
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
            List<String> urls = new ArrayList<>();
            node.path("urls").forEach(url -> urls.add(url.asText()));
            return new Descriptor(node.path("mediaType").asText(""), Digest.parse(node.path("digest").asText()),
                    node.path("size").asLong(-1), platform, annotations, urls);
        } catch (IllegalArgumentException e) {
            throw new MalformedManifestException("manifest " + parent.digest() + " has an invalid descriptor: " + e.getMessage());
        }
    }
}
