package dev.stevedore.image.copy;

import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.target.ImageTarget;
import java.util.Objects;

/**
 * One end of an image's copy: the target it is read from or written to, and its reference there.
 *
 * @param description how results and messages name it: {@code oci://REF}, or {@code local://DIR#REF} for a store
 * @param target      the registry client or the store
 * @param reference   the image inside {@code target}; at a destination its tag, or its digest when it has no tag
 */
public record ImagePlace(String description, ImageTarget target, ImageReference reference) {

    public ImagePlace {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(reference, "reference");
    }
}
