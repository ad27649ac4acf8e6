package dev.stevedore.image.copy;

import dev.stevedore.image.target.ForeignLayerSource;
import dev.stevedore.image.target.ImageTarget;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The targets of a check run: those of {@code factory}, each behind a {@link ReadOnlyTarget}, so that
 * planning reads destinations (HEAD and GET) but can write nothing to them. {@link Copier#plan} takes only
 * this factory, so a check run cannot be handed targets that write.
 *
 * @param factory         the copy's real targets, bound to its settings
 * @param projectsCreated a real run would create missing Harbor projects ({@code create_project})
 */
public record CheckModeTargets(TargetFactory factory, boolean projectsCreated) implements TargetFactory {

    public CheckModeTargets {
        Objects.requireNonNull(factory, "factory");
    }

    @Override
    public ImageTarget registries() throws IOException {
        return new ReadOnlyTarget(factory.registries(), false, projectsCreated);
    }

    @Override
    public ImageTarget directory(Location.Kind kind, Path path) throws IOException {
        return new ReadOnlyTarget(factory.directory(kind, path), true, false);
    }

    /** Foreign layers are only read from their URLs; planning does not read them at all. */
    @Override
    public ForeignLayerSource foreignLayers() throws IOException {
        return factory.foreignLayers();
    }
}
