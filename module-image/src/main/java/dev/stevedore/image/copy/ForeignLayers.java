package dev.stevedore.image.copy;

import java.util.Locale;

/**
 * What a copy does with layers whose descriptors list {@code urls} (Windows base layers, OCI
 * non-distributable layers) when the image's source does not hold them: the {@code foreign_layers}
 * argument.
 */
public enum ForeignLayers {
    /** Not copied (the default, as skopeo does); the manifest is still copied byte-exact and nodes download them. */
    SKIP,
    /** Downloaded from their URLs and copied, for sites whose nodes cannot reach those URLs. */
    INCLUDE;

    public static ForeignLayers of(String text) {
        return text == null ? SKIP : valueOf(text.toUpperCase(Locale.ROOT));
    }
}
