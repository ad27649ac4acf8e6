package dev.stevedore.image.oci;

import java.util.List;

/**
 * A multi-platform index (OCI image index or Docker manifest list): the child manifests.
 *
 * @param artifactType the index's {@code artifactType} (image-spec 1.1), empty when it has none
 */
public record ImageIndex(String mediaType, String artifactType, List<Descriptor> manifests) {

    public ImageIndex {
        artifactType = artifactType == null ? "" : artifactType;
        manifests = List.copyOf(manifests);
    }
}
