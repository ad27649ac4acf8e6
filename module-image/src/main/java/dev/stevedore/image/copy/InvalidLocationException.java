package dev.stevedore.image.copy;

/**
 * A {@code src} or {@code dest} that does not name a location a copy can use: not a valid reference,
 * no scheme, no directory. The copier's own failure: the argument checks turn it into an argument error
 * naming the key, and a copy that meets it (a template rendered per image) fails that image.
 */
public class InvalidLocationException extends IllegalArgumentException {

    public InvalidLocationException(String message) {
        super(message);
    }
}
