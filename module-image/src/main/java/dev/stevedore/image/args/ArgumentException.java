package dev.stevedore.image.args;

/**
 * Task arguments that break the declared spec (unknown key, wrong type, invalid value, missing
 * required key). Raised before any I/O; the message names the key as the operator wrote it.
 */
public class ArgumentException extends IllegalArgumentException {

    public ArgumentException(String message) {
        super(message);
    }
}
