package dev.stevedore.image.copy;

import java.util.Objects;

/**
 * Where a copy reads and writes, as the task wrote it: templates rendered per image by {@link ImageLocations}.
 *
 * @param src               renders to {@code oci://ref}, {@code local://path} or {@code oci-layout://path}; null
 *                          when each manifest names its own registry
 * @param dest              renders to the same schemes
 * @param namespaceOverride replaces the repository's namespace before {@code dest} is rendered, or null
 */
public record LocationTemplates(String src, String dest, String namespaceOverride) {

    public LocationTemplates {
        Objects.requireNonNull(dest, "dest");
    }
}
