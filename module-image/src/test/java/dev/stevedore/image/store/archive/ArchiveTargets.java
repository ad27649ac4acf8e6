package dev.stevedore.image.store.archive;

import dev.stevedore.image.DefaultTargets;
import dev.stevedore.image.TargetProvider;
import dev.stevedore.image.copy.Location;
import dev.stevedore.image.registry.ForeignLayerFetcher;
import dev.stevedore.image.registry.MachineConfig;
import dev.stevedore.image.registry.RegistrySettings;
import dev.stevedore.image.registry.RetryLimits;
import dev.stevedore.image.store.StoreOptions;
import dev.stevedore.image.target.ForeignLayerSource;
import dev.stevedore.image.target.ImageTarget;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The real targets ({@code archive://} is a bundle archive), with registry settings that ignore the machine's
 * proxy variables and Docker config and fail fast.
 */
record ArchiveTargets() implements TargetProvider {

    private static final DefaultTargets DEFAULTS = new DefaultTargets();

    @Override
    public ImageTarget registries(RegistrySettings settings) {
        return DEFAULTS.registries(isolated(settings));
    }

    @Override
    public ForeignLayerSource foreignLayers(RegistrySettings settings) {
        return new ForeignLayerFetcher(isolated(settings));
    }

    @Override
    public ImageTarget directory(Location.Kind kind, Path path, StoreOptions options) throws IOException {
        return DEFAULTS.directory(kind, path, options);
    }

    /** Settings for the registries the test starts: none of the machine's proxies or Docker config. */
    static RegistrySettings isolated(RegistrySettings settings) {
        return RegistrySettings.defaults(settings.auths()).withSkipTlsVerify(settings.skipTlsVerify())
                .withLimits(new RetryLimits(Duration.ofSeconds(5), Duration.ofSeconds(20), 3, Duration.ofSeconds(10)))
                .withMachine(new MachineConfig(Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"),
                        "HOME", "/nonexistent"), null)).keeping(settings);
    }
}
