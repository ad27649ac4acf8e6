package dev.stevedore.image;

import dev.stevedore.image.bundle.IntegrityManifests;
import dev.stevedore.image.copy.Location;
import dev.stevedore.image.registry.RegistrySettings;
import dev.stevedore.image.registry.RegistryTarget;
import dev.stevedore.image.store.KubeKeyLayoutStore;
import dev.stevedore.image.store.OciLayoutStore;
import dev.stevedore.image.store.StoreOptions;
import dev.stevedore.image.store.archive.ArchiveOptions;
import dev.stevedore.image.store.archive.ArchiveStore;
import dev.stevedore.image.target.ImageTarget;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The real targets: {@code oci://} is the registry client, {@code local://} a KubeKey images directory,
 * {@code oci-layout://} an OCI image layout, {@code archive://} a bundle archive (a tar of a KubeKey images
 * directory, in parts of {@code max_part_size}). A KubeKey directory or a bundle archive that was written to
 * gets its integrity manifest updated when the copy closes it ({@link IntegrityManifests}).
 */
public final class DefaultTargets implements TargetProvider {

    @Override
    public ImageTarget registries(RegistrySettings settings) {
        return new RegistryTarget(settings);
    }

    @Override
    public ImageTarget directory(Location.Kind kind, Path path, StoreOptions options) throws IOException {
        return switch (kind) {
            case LOCAL -> KubeKeyLayoutStore.open(path, options, IntegrityManifests::update);
            case OCI_LAYOUT -> OciLayoutStore.open(path, options);
            case ARCHIVE -> ArchiveStore.open(path, new ArchiveOptions(options.maxPartSize(), options), IntegrityManifests::update);
            case REGISTRY -> throw new IllegalArgumentException("a registry is not a directory");
        };
    }
}
