package dev.stevedore.image.copy;

import java.util.Objects;
import java.util.Optional;

/**
 * One image of a check run: the result a real run would report, and its line of the mapping.
 *
 * @param forecast what a real run would do: {@code COPIED} means it would copy (the blob counts and bytes
 *                 are what it would transfer), {@code UNCHANGED} that the destination already has it;
 *                 {@code SKIPPED} and {@code FAILED} are what the planning itself found
 * @param mapping  {@code source=destination}, or empty for an image that could not be planned
 */
public record CheckedImage(ImageResult forecast, Optional<String> mapping) {

    public CheckedImage {
        Objects.requireNonNull(forecast, "forecast");
        Objects.requireNonNull(mapping, "mapping");
    }

    CheckedImage(ImageResult forecast, String mapping) {
        this(forecast, Optional.of(mapping));
    }

    /** An image the planning skipped or failed: it has no mapping. */
    static CheckedImage unplanned(ImageResult result) {
        return new CheckedImage(result, Optional.empty());
    }
}
