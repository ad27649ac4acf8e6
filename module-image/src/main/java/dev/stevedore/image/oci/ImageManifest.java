package dev.stevedore.image.oci;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A single-platform manifest: its config blob and its layers, in order.
 *
 * @param artifactType the manifest's {@code artifactType} (image-spec 1.1), empty when it has none
 */
public record ImageManifest(String mediaType, String artifactType, Descriptor config, List<Descriptor> layers) {

    public ImageManifest {
        artifactType = artifactType == null ? "" : artifactType;
        layers = List.copyOf(layers);
    }

    /** The config followed by the layers: every blob the manifest refers to. */
    public List<Descriptor> blobs() {
        List<Descriptor> all = new ArrayList<>(layers.size() + 1);
        all.add(config);
        all.addAll(layers);
        return all;
    }

    /**
     * What kind of artifact this is, for messages, when its manifest alone says it is not a container
     * image: an {@code artifactType}, or a config that is not an image config (a Helm chart's, the empty
     * config of image-spec 1.1). Empty for a manifest with an image config, which may still hold no
     * platform (a cosign signature, an attestation): only its config tells.
     */
    public Optional<String> artifactKind() {
        String config = this.config.mediaType();
        if (MediaTypes.HELM_CONFIG.equals(config)) {
            return Optional.of("a Helm chart");
        }
        if (!artifactType.isEmpty()) {
            return Optional.of("an artifact of type " + artifactType);
        }
        if (MediaTypes.EMPTY_CONFIG.equals(config)) {
            return Optional.of("an artifact with the empty config");
        }
        if (!MediaTypes.isImageConfig(config)) {
            return Optional.of("an artifact with config type " + (config.isEmpty() ? "(none)" : config));
        }
        return Optional.empty();
    }
}
