package dev.stevedore.image.oci;

import java.util.List;

/** A multi-platform index (OCI image index or Docker manifest list): the child manifests. */
public record ImageIndex(String mediaType, List<Descriptor> manifests) {

    public ImageIndex {
        manifests = List.copyOf(manifests);
    }
}
