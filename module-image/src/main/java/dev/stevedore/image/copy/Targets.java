package dev.stevedore.image.copy;

import dev.stevedore.image.registry.RegistrySettings;
import dev.stevedore.image.store.StoreOptions.KubeKeyLayout;
import dev.stevedore.image.target.ForeignLayerSource;
import dev.stevedore.image.target.ImageTarget;
import dev.stevedore.spi.TaskLog;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The targets one copy opens, each once (one registry client for all registries of the task, one store
 * per directory), closed together at the end. Thread-safe: planners open targets from worker threads.
 */
final class Targets implements AutoCloseable {

    private final TargetFactory factory;
    private final RegistrySettings settings;
    private final TaskLog log;
    private final KubeKeyLayout layout;
    private final Map<Key, ImageTarget> open = new ConcurrentHashMap<>();
    private ForeignLayerSource foreignLayers;

    /** @param layout the generation of repositories new to a KubeKey directory this copy opens */
    Targets(TargetFactory factory, RegistrySettings settings, TaskLog log, KubeKeyLayout layout) {
        this.factory = factory;
        this.settings = settings;
        this.log = log;
        this.layout = layout;
    }

    /** What one open target stands for: every registry of the task, or one directory of one kind. */
    private record Key(Location.Kind kind, Path directory) {
        static final Key REGISTRIES = new Key(Location.Kind.REGISTRY, null);

        static Key of(Location location) {
            return location.isDirectory() ? new Key(location.kind(), location.path().toAbsolutePath().normalize()) : REGISTRIES;
        }
    }

    /** The target holding what a location names. */
    ImageTarget of(Location location) throws IOException {
        Key key = Key.of(location);
        synchronized (open) {
            ImageTarget target = open.get(key);
            if (target == null) {
                target = location.isDirectory() ? factory.directory(location.kind(), location.path(), layout) : factory.registries(settings);
                open.put(key, target);
            }
            return target;
        }
    }

    /** Where foreign layers are downloaded from their URLs, made on first use. */
    ForeignLayerSource foreignLayers() throws IOException {
        synchronized (open) {
            if (foreignLayers == null) {
                foreignLayers = factory.foreignLayers(settings);
            }
            return foreignLayers;
        }
    }

    @Override
    public void close() {
        List<ImageTarget> targets;
        ForeignLayerSource urls;
        synchronized (open) {
            targets = new ArrayList<>(open.values());
            open.clear();
            urls = foreignLayers;
            foreignLayers = null;
        }
        if (urls != null) {
            urls.close();
        }
        for (ImageTarget target : targets) {
            try {
                target.close();
            } catch (IOException | RuntimeException e) {
                // Closing releases connections; a failure here cannot undo or spoil what was copied.
                log.debug("closing " + target.describe() + " failed: " + e.getMessage());
            }
        }
    }
}
