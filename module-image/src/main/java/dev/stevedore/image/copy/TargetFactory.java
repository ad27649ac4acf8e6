package dev.stevedore.image.copy;

import dev.stevedore.image.registry.ForeignLayerFetcher;
import dev.stevedore.image.registry.RegistrySettings;
import dev.stevedore.image.store.StoreOptions.KubeKeyLayout;
import dev.stevedore.image.target.ForeignLayerSource;
import dev.stevedore.image.target.ImageTarget;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Opens the {@link ImageTarget}s a copy reads and writes: the seam between the copier, which knows only
 * the interface, and the registry client and the stores. Tests pass in-memory targets through it.
 */
public interface TargetFactory {

    /** A target reaching every registry a copy names, configured by the task's {@code auths}. */
    ImageTarget registries(RegistrySettings settings) throws IOException;

    /** A KubeKey images directory ({@code local://}) or an OCI image layout ({@code oci-layout://}). */
    ImageTarget directory(Location.Kind kind, Path path) throws IOException;

    /**
     * The same, writing repositories new to a KubeKey directory in {@code layout}'s generation (the task
     * argument {@code layout}). The default ignores it: for factories of stores that have no generations.
     */
    default ImageTarget directory(Location.Kind kind, Path path, KubeKeyLayout layout) throws IOException {
        return directory(kind, path);
    }

    /** Reads foreign layers from the URLs their descriptors list ({@code foreign_layers: include}). */
    default ForeignLayerSource foreignLayers(RegistrySettings settings) throws IOException {
        return new ForeignLayerFetcher(settings);
    }
}
