package dev.stevedore.image.args;

import dev.stevedore.image.registry.PushOptions;
import dev.stevedore.image.registry.RegistryAuth;
import dev.stevedore.image.store.StoreOptions.KubeKeyLayout;
import java.util.List;
import java.util.Objects;

/**
 * What one copy's arguments say about the targets it reads and writes, which the copier never sees: the
 * module binds them to the target factory it hands the copier.
 *
 * @param auths         rendered registry settings, once per task
 * @param skipTlsVerify the task-wide default for registries without an {@code auths} entry
 * @param push          {@code chunk_size} and {@code create_project}, for registry destinations
 * @param layout        the KubeKey generation of repositories new to a {@code local://} destination
 *                      (the task argument {@code layout}; {@link KubeKeyLayout#AS_DIRECTORY} without it)
 * @param maxPartSize   the size of a bundle archive's parts ({@code max_part_size}); 0 for one file
 */
public record TargetSettings(List<RegistryAuth> auths, boolean skipTlsVerify, PushOptions push, KubeKeyLayout layout,
                             long maxPartSize) {

    public TargetSettings {
        auths = List.copyOf(auths);
        Objects.requireNonNull(push, "push");
        Objects.requireNonNull(layout, "layout");
    }

    /** For a copy between directories: no registry settings, KubeKey repositories as the directory writes them. */
    static TargetSettings none() {
        return new TargetSettings(List.of(), false, PushOptions.defaults(), KubeKeyLayout.AS_DIRECTORY, 0);
    }
}
