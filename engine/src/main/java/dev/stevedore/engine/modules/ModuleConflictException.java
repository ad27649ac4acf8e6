package dev.stevedore.engine.modules;

/** The modules on the class path cannot be used together: two claim one name, or one has an invalid name. */
public class ModuleConflictException extends RuntimeException {

    public ModuleConflictException(String message) {
        super(message);
    }

    public ModuleConflictException(String message, Throwable cause) {
        super(message, cause);
    }
}
