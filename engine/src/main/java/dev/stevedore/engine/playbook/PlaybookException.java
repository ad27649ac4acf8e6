package dev.stevedore.engine.playbook;

import java.util.Optional;

/**
 * A playbook that cannot be run as written: a YAML syntax error, a task without a module, a key of
 * the wrong type. The message is one line and starts with the location when there is one.
 */
public class PlaybookException extends Exception {

    private final transient Location location;

    public PlaybookException(Location location, String message) {
        this(location, message, null);
    }

    public PlaybookException(Location location, String message, Throwable cause) {
        super(location == null ? message : location + ": " + message, cause);
        this.location = location;
    }

    /** Where the problem is, when known. */
    public Optional<Location> location() {
        return Optional.ofNullable(location);
    }
}
