package dev.stevedore.image.reference;

/** Input that does not follow the reference, digest or platform grammar; raised before any I/O. */
public class InvalidReferenceException extends IllegalArgumentException {

    public InvalidReferenceException(String message) {
        super(message);
    }
}
