package dev.stevedore.image.copy;

import dev.stevedore.image.ImageException;
import dev.stevedore.image.registry.RegistrySettings;
import dev.stevedore.image.target.ImageTarget;
import java.nio.file.Path;

/**
 * The target factory of a build that has no registry client or store linked in: every copy fails with
 * a clear message instead of a class-loading error. Replaced by the real factory when those land.
 */
public final class NoTargets implements TargetFactory {

    @Override
    public ImageTarget registries(RegistrySettings settings) throws ImageException {
        throw new ImageException("this build of Stevedore has no registry client; use a complete build");
    }

    @Override
    public ImageTarget directory(Location.Kind kind, Path path) throws ImageException {
        throw new ImageException("this build of Stevedore cannot open " + kind.name().toLowerCase() + " directories; use a complete build");
    }
}
