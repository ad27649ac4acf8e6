package dev.stevedore.image.oci;

import java.util.List;

/** A single-platform manifest: its config blob and its layers, in order. */
public record ImageManifest(String mediaType, Descriptor config, List<Descriptor> layers) {

    public ImageManifest {
        layers = List.copyOf(layers);
    }

    /** The config followed by the layers: every blob the manifest refers to. */
    public List<Descriptor> blobs() {
        java.util.ArrayList<Descriptor> all = new java.util.ArrayList<>(layers.size() + 1);
        all.add(config);
        all.addAll(layers);
        return all;
    }
}
