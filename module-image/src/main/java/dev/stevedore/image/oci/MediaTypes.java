package dev.stevedore.image.oci;

import java.util.Set;

/** The manifest and index media types we read and write. */
public final class MediaTypes {

    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    public static final String DOCKER_SCHEMA1 = "application/vnd.docker.distribution.manifest.v1+json";
    public static final String DOCKER_SCHEMA1_SIGNED = "application/vnd.docker.distribution.manifest.v1+prettyjws";
    /** The config of an artifact that needs none (image-spec 1.1), whose blob is {@code {}}. */
    public static final String EMPTY_CONFIG = "application/vnd.oci.empty.v1+json";
    public static final String HELM_CONFIG = "application/vnd.cncf.helm.config.v1+json";

    public static final Set<String> INDEXES = Set.of(OCI_INDEX, DOCKER_MANIFEST_LIST);
    public static final Set<String> MANIFESTS = Set.of(OCI_MANIFEST, DOCKER_MANIFEST);

    /** The Accept header a registry needs to hand out any manifest we can read. */
    public static final String ACCEPT_ALL_MANIFESTS = String.join(", ", OCI_INDEX, OCI_MANIFEST, DOCKER_MANIFEST_LIST, DOCKER_MANIFEST);

    private MediaTypes() {
    }

    public static boolean isIndex(String mediaType) {
        return INDEXES.contains(mediaType);
    }

    public static boolean isManifest(String mediaType) {
        return MANIFESTS.contains(mediaType);
    }

    /** Whether the media type is a manifest or an index, the things a store lists and a registry tags. */
    public static boolean isManifestOrIndex(String mediaType) {
        return isIndex(mediaType) || isManifest(mediaType);
    }

    /** Whether a config of this type describes a container image (and so may declare its platform). */
    public static boolean isImageConfig(String mediaType) {
        return OCI_CONFIG.equals(mediaType) || DOCKER_CONFIG.equals(mediaType);
    }

    public static boolean isSchema1(String mediaType) {
        return DOCKER_SCHEMA1.equals(mediaType) || DOCKER_SCHEMA1_SIGNED.equals(mediaType);
    }

    /**
     * Whether a manifest is Docker schema 1: by its type, or, when it has none that says (a registry
     * answering {@code application/json}), by its {@code "schemaVersion": 1}.
     */
    public static boolean isSchema1(String mediaType, byte[] document) {
        if (isSchema1(mediaType)) {
            return true;
        }
        if (mediaType != null && !mediaType.isEmpty()) {
            return false;
        }
        String text = new String(document, 0, Math.min(document.length, 4096), java.nio.charset.StandardCharsets.UTF_8);
        return text.matches("(?s).*\"schemaVersion\"\\s*:\\s*1\\b.*");
    }

    /** What every refusal of a schema 1 image says after naming it. */
    public static final String SCHEMA1_REFUSED = " is a Docker schema 1 image, which is obsolete and not supported;"
            + " push it again with a current Docker or skopeo";
}
