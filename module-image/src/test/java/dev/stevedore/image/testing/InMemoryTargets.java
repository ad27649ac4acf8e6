package dev.stevedore.image.testing;

import dev.stevedore.image.copy.Location;
import dev.stevedore.image.TargetProvider;
import dev.stevedore.image.registry.RegistrySettings;
import dev.stevedore.image.store.StoreOptions;
import dev.stevedore.image.target.ImageTarget;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** A target factory handing out in-memory targets: one registry-like target, directories by path. */
public final class InMemoryTargets implements TargetProvider {

    public final InMemoryTarget registry = InMemoryTarget.registry("registries");
    private final Map<Path, InMemoryTarget> directories = new HashMap<>();
    public volatile RegistrySettings lastSettings;

    @Override
    public ImageTarget registries(RegistrySettings settings) {
        lastSettings = settings;
        return registry;
    }

    @Override
    public synchronized ImageTarget directory(Location.Kind kind, Path path, StoreOptions options) {
        return directory(path.toString());
    }

    public synchronized InMemoryTarget directory(String path) {
        return directories.computeIfAbsent(Path.of(path), p -> InMemoryTarget.directory(p.toString()));
    }
}
