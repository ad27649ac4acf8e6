package dev.stevedore.image.copy;

import dev.stevedore.image.error.ImageException;
import dev.stevedore.image.target.ImageTarget;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Destinations of a copy that could not be closed, each with why ({@link Targets#close}). Its message is the
 * first one's, the others' come along as suppressed exceptions, so that a caller that only reports it says
 * everything.
 */
final class UnfinishedDestinationsException extends ImageException {

    private final transient Map<ImageTarget, ImageException> unfinished;

    /** @param unfinished each destination that did not close, in the order they were closed; not empty */
    UnfinishedDestinationsException(Map<ImageTarget, ImageException> unfinished) {
        super(first(unfinished).getMessage(), first(unfinished).getCause());
        this.unfinished = Collections.unmodifiableMap(new LinkedHashMap<>(unfinished));
        unfinished.values().stream().skip(1).forEach(this::addSuppressed);
    }

    private static ImageException first(Map<ImageTarget, ImageException> unfinished) {
        return unfinished.values().iterator().next();
    }

    /** Why {@code target} is unfinished, or null when it closed (or is no destination of the copy). */
    ImageException reason(ImageTarget target) {
        return unfinished.get(target);
    }
}
