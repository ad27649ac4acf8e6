package dev.stevedore.image.registry.auth;

import java.io.IOException;
import java.util.Optional;

/**
 * The credentials configured for one host ({@code auths}, the Docker config, a credential helper),
 * looked up once, when the host first asks for them. A token service that rotates a refresh token
 * replaces it here, so the new one is used for the rest of the task.
 */
public final class HostCredentials {

    /** Looks credentials up; may run a credential helper. */
    @FunctionalInterface
    public interface Lookup {
        Optional<Credentials> get() throws IOException;
    }

    private final Lookup lookup;
    private Optional<Credentials> found;

    public HostCredentials(Lookup lookup) {
        this.lookup = lookup;
    }

    /** Credentials for nobody: hosts nothing names. */
    public static HostCredentials none() {
        return new HostCredentials(Optional::empty);
    }

    public synchronized Optional<Credentials> get() throws IOException {
        if (found == null) {
            found = lookup.get();
        }
        return found;
    }

    /** Whether any were configured for the host (for error messages). */
    public synchronized boolean given() throws IOException {
        return get().isPresent();
    }

    /** The token service answered a refresh token with a new one. */
    public synchronized void replace(Credentials newer) {
        found = Optional.of(newer);
    }
}
