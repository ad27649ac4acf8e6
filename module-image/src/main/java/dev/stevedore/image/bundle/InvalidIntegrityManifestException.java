package dev.stevedore.image.bundle;

/** An integrity manifest that cannot be read; the message says which field is wrong. */
public final class InvalidIntegrityManifestException extends Exception {

    public InvalidIntegrityManifestException(String message) {
        super(message);
    }
}
