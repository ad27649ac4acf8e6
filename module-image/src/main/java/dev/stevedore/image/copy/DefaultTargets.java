package dev.stevedore.image.copy;

import dev.stevedore.image.registry.RegistrySettings;
import dev.stevedore.image.registry.RegistryTarget;
import dev.stevedore.image.store.KubeKeyLayoutStore;
import dev.stevedore.image.store.OciLayoutStore;
import dev.stevedore.image.store.StoreOptions;
import dev.stevedore.image.store.StoreOptions.KubeKeyLayout;
import dev.stevedore.image.target.ImageTarget;
import java.nio.file.Path;

/**
 * The real targets: {@code oci://} is the registry client, {@code local://} a KubeKey images directory,
 * {@code oci-layout://} an OCI image layout.
 */
public final class DefaultTargets implements TargetFactory {

    @Override
    public ImageTarget registries(RegistrySettings settings) {
        return new RegistryTarget(settings);
    }

    @Override
    public ImageTarget directory(Location.Kind kind, Path path) {
        return directory(kind, path, KubeKeyLayout.AS_DIRECTORY);
    }

    @Override
    public ImageTarget directory(Location.Kind kind, Path path, KubeKeyLayout layout) {
        return switch (kind) {
            case LOCAL -> KubeKeyLayoutStore.open(path, StoreOptions.defaults().withNewRepositories(layout));
            case OCI_LAYOUT -> OciLayoutStore.open(path);
            case REGISTRY -> throw new IllegalArgumentException("a registry is not a directory");
        };
    }
}
