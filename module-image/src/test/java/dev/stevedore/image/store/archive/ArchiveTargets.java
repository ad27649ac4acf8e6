package dev.stevedore.image.store.archive;

import dev.stevedore.image.copy.DefaultTargets;
import dev.stevedore.image.copy.Location;
import dev.stevedore.image.copy.TargetFactory;
import dev.stevedore.image.registry.RegistrySettings;
import dev.stevedore.image.store.StoreOptions;
import dev.stevedore.image.store.StoreOptions.KubeKeyLayout;
import dev.stevedore.image.target.ImageTarget;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The real targets, with a {@code local://} path naming a {@code .tar} file (or one of its parts) opened as a
 * bundle archive: how the playbook wiring maps a classic {@code images_dir} ending in {@code .tar}, until it
 * is wired. Registry settings ignore the machine's proxy variables and Docker config and fail fast.
 */
record ArchiveTargets(long maxPartSize) implements TargetFactory {

    private static final DefaultTargets DEFAULTS = new DefaultTargets();

    @Override
    public ImageTarget registries(RegistrySettings settings) {
        return DEFAULTS.registries(new RegistrySettings(settings.auths(), settings.skipTlsVerify(), Duration.ofSeconds(5),
                Duration.ofSeconds(20), 3, Duration.ofSeconds(10),
                Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"), "HOME", "/nonexistent"), null).keeping(settings));
    }

    @Override
    public ImageTarget directory(Location.Kind kind, Path path) throws IOException {
        return directory(kind, path, KubeKeyLayout.AS_DIRECTORY);
    }

    @Override
    public ImageTarget directory(Location.Kind kind, Path path, KubeKeyLayout layout) throws IOException {
        if (kind == Location.Kind.LOCAL && path.getFileName().toString().matches(".*\\.tar(\\.part-\\d{4,})?")) {
            return ArchiveStore.open(path, new ArchiveOptions(maxPartSize, StoreOptions.defaults().withNewRepositories(layout)));
        }
        return DEFAULTS.directory(kind, path, layout);
    }
}
