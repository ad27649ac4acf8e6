package dev.stevedore.image.registry.auth;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** Produces the {@code Authorization} header for requests that need the given scopes. */
public interface Authenticator {

    /** Sends nothing: anonymous access. */
    Authenticator NONE = scopes -> Optional.empty();

    /** The header value, or empty to send none. May fetch a token. */
    Optional<String> authorization(List<String> scopes) throws IOException;

    /** Forgets any cached token for these scopes (the registry rejected it). */
    default void invalidate(List<String> scopes) {
    }
}
