package dev.stevedore.image.copy;

import dev.stevedore.image.error.FileTooLarge;
import dev.stevedore.image.error.ImageException;
import dev.stevedore.image.target.ForeignLayerSource;
import dev.stevedore.image.target.ImageTarget;
import dev.stevedore.spi.TaskLog;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The targets one copy opens, each once (one registry client for all registries of the task, one store
 * per directory), closed together at the end. Thread-safe: planners open targets from worker threads.
 */
final class Targets implements AutoCloseable {

    private final TargetFactory factory;
    private final TaskLog log;
    private final Map<Key, ImageTarget> open = new ConcurrentHashMap<>();
    private final Set<Key> destinations = ConcurrentHashMap.newKeySet();
    private ForeignLayerSource foreignLayers;

    Targets(TargetFactory factory, TaskLog log) {
        this.factory = factory;
        this.log = log;
    }

    /** What one open target stands for: every registry of the task, or one directory of one kind. */
    private record Key(Location.Kind kind, Path directory) {
        static final Key REGISTRIES = new Key(Location.Kind.REGISTRY, null);

        static Key of(Location location) {
            if (!location.isDirectory()) {
                return REGISTRIES;
            }
            // A bundle named by its base name or by one of its parts is one archive, opened once.
            Path file = location.kind() == Location.Kind.ARCHIVE ? location.archiveFile() : location.path();
            return new Key(location.kind(), file.toAbsolutePath().normalize());
        }
    }

    /** The target holding what a location names, to write to: a failure to close it fails the copy ({@link #close}). */
    ImageTarget destination(Location location) throws IOException {
        ImageTarget target = of(location);
        destinations.add(Key.of(location));
        return target;
    }

    /** The target holding what a location names. */
    ImageTarget of(Location location) throws IOException {
        Key key = Key.of(location);
        synchronized (open) {
            ImageTarget target = open.get(key);
            if (target == null) {
                target = location.isDirectory() ? factory.directory(location.kind(), location.path()) : factory.registries();
                open.put(key, target);
            }
            return target;
        }
    }

    /** Where foreign layers are downloaded from their URLs, made on first use. */
    ForeignLayerSource foreignLayers() throws IOException {
        synchronized (open) {
            if (foreignLayers == null) {
                foreignLayers = factory.foreignLayers();
            }
            return foreignLayers;
        }
    }

    /**
     * Closes every target, and then fails with the first destination that could not close: closing is where a
     * store ends its writes (an archive appends its manifests and sums, a directory records its integrity
     * manifest, an OCI layout writes its waiting tags), so a failure there leaves the destination unfinished,
     * and the task must not report it done. A source that fails to close (its temporary files) is only logged:
     * what was copied from it stands.
     *
     * @throws UnfinishedDestinationsException naming each destination that did not close, and why
     */
    @Override
    public void close() throws IOException {
        Map<Key, ImageTarget> targets;
        ForeignLayerSource urls;
        synchronized (open) {
            targets = new LinkedHashMap<>(open);
            open.clear();
            urls = foreignLayers;
            foreignLayers = null;
        }
        if (urls != null) {
            urls.close();
        }
        Map<ImageTarget, ImageException> unfinished = new LinkedHashMap<>();
        for (Map.Entry<Key, ImageTarget> entry : targets.entrySet()) {
            ImageTarget target = entry.getValue();
            try {
                target.close();
            } catch (IOException | RuntimeException e) {
                log.debug("closing " + target.describe() + " failed: " + e.getMessage());
                if (destinations.contains(entry.getKey())) {
                    // Past the file system's largest file, the next run stops where this one did: its message says what to change.
                    String next = e instanceof FileTooLarge ? "" : "; what was copied into it is kept, and the next run finishes it";
                    unfinished.put(target, new ImageException("could not finish writing " + target.describe() + ": "
                            + e.getMessage() + next, e));
                }
            }
        }
        if (!unfinished.isEmpty()) {
            throw new UnfinishedDestinationsException(unfinished);
        }
    }
}
