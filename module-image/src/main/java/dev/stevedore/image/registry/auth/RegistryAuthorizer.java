package dev.stevedore.image.registry.auth;

import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The authentication state of one registry. It starts anonymous and learns the scheme from the
 * first {@code WWW-Authenticate} challenge (Basic or Bearer), then authorizes later requests up
 * front so they do not each cost a 401 round trip. Credentials are looked up once, when first needed.
 */
public final class RegistryAuthorizer {

    /** Looks credentials up; may run a credential helper. */
    @FunctionalInterface
    public interface CredentialSource {
        Optional<Credentials> get() throws IOException;
    }

    private final String registry;
    private final CredentialSource source;
    private final HttpClient client;
    private final Duration timeout;
    private final Clock clock;
    private volatile Authenticator current = Authenticator.NONE;
    private volatile Optional<Credentials> credentials;

    public RegistryAuthorizer(String registry, CredentialSource source, HttpClient client, Duration timeout, Clock clock) {
        this.registry = registry;
        this.source = source;
        this.client = client;
        this.timeout = timeout;
        this.clock = clock;
    }

    public Optional<String> authorization(List<String> scopes) throws IOException {
        return current.authorization(scopes);
    }

    /**
     * Learns from a 401. Returns whether sending the request again may now succeed: a first
     * challenge, or a Bearer token to renew (expired, revoked, or for too narrow a scope).
     *
     * @param sent the {@code Authorization} the refused request carried, if any
     */
    public synchronized boolean onUnauthorized(String wwwAuthenticate, List<String> scopes, Optional<String> sent) throws IOException {
        Optional<AuthChallenge> parsed = AuthChallenge.parse(wwwAuthenticate);
        if (parsed.isEmpty()) {
            return false;
        }
        AuthChallenge challenge = parsed.get();
        if (challenge.isBearer()) {
            if (current instanceof TokenAuthenticator) {
                current.invalidate(scopes);
            } else {
                current = new TokenAuthenticator(registry, challenge, credentials(), client, timeout, clock);
            }
            return true;
        }
        if (challenge.isBasic() && current instanceof BasicAuthenticator && sent.isEmpty()) {
            // Requests sent together all go out anonymously; the first 401 taught Basic auth, the others
            // were refused before that and must be sent again with it, not failed.
            return true;
        }
        if (challenge.isBasic() && !(current instanceof BasicAuthenticator)) {
            Optional<Credentials> found = credentials();
            if (found.isPresent()) {
                current = new BasicAuthenticator(found.get());
                return true;
            }
        }
        return false;
    }

    /** Whether any credentials were found (for error messages). */
    public synchronized boolean hasCredentials() throws IOException {
        return credentials().isPresent();
    }

    private synchronized Optional<Credentials> credentials() throws IOException {
        if (credentials == null) {
            credentials = source.get();
        }
        return credentials;
    }
}
