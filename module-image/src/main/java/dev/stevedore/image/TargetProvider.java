package dev.stevedore.image;

import dev.stevedore.image.copy.Location;
import dev.stevedore.image.copy.TargetFactory;
import dev.stevedore.image.registry.ForeignLayerFetcher;
import dev.stevedore.image.registry.RegistrySettings;
import dev.stevedore.image.store.StoreOptions;
import dev.stevedore.image.target.ForeignLayerSource;
import dev.stevedore.image.target.ImageTarget;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Where the module's targets come from: the registry client and the stores, opened with the settings one
 * copy's arguments give. {@link #bind} turns it into the {@link TargetFactory} the copier is handed, so that
 * registry and store settings reach the targets without passing through the copier. Tests provide
 * in-memory targets, or the real ones with settings of their own.
 */
public interface TargetProvider {

    /** A target reaching every registry a copy names, configured by the task's {@code auths}. */
    ImageTarget registries(RegistrySettings settings) throws IOException;

    /**
     * A KubeKey images directory ({@code local://}) or an OCI image layout ({@code oci-layout://}), written
     * with {@code options} (the generation of KubeKey repositories it creates, the task argument {@code layout}).
     */
    ImageTarget directory(Location.Kind kind, Path path, StoreOptions options) throws IOException;

    /** Reads foreign layers from the URLs their descriptors list ({@code foreign_layers: include}). */
    default ForeignLayerSource foreignLayers(RegistrySettings settings) throws IOException {
        return new ForeignLayerFetcher(settings);
    }

    /** The factory of one copy's targets: these registry settings and store options, for every target it opens. */
    default TargetFactory bind(RegistrySettings settings, StoreOptions options) {
        TargetProvider provider = this;
        return new TargetFactory() {
            @Override
            public ImageTarget registries() throws IOException {
                return provider.registries(settings);
            }

            @Override
            public ImageTarget directory(Location.Kind kind, Path path) throws IOException {
                return provider.directory(kind, path, options);
            }

            @Override
            public ForeignLayerSource foreignLayers() throws IOException {
                return provider.foreignLayers(settings);
            }
        };
    }
}
