package dev.stevedore.image.registry.auth;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The authentication state of one host (one origin: scheme, host and port). It starts anonymous and
 * learns the scheme from the host's own {@code WWW-Authenticate} challenges, then authorizes later
 * requests to that host up front so they do not each cost a 401 round trip. What it sends, it sends
 * only to its host: credentials configured for that host, or tokens its challenge's realm issued.
 */
public final class RegistryAuthorizer {

    private final HostAuthContext host;
    private volatile Authenticator current = Authenticator.NONE;

    public RegistryAuthorizer(HostAuthContext host) {
        this.host = host;
    }

    /** The host's {@code host[:port]}. */
    public String host() {
        return host.host();
    }

    public Optional<String> authorization(List<String> scopes) throws IOException {
        return current.authorization(scopes);
    }

    /**
     * Learns from a 401 of this host. Returns whether sending the request again may now succeed: a
     * first challenge, a wider scope, or a Bearer token to renew (expired or revoked).
     *
     * @param sent the {@code Authorization} the refused request carried, if any
     */
    public synchronized boolean onUnauthorized(String wwwAuthenticate, List<String> scopes, Optional<String> sent) throws IOException {
        Optional<AuthChallenge> challenge = AuthChallenge.parse(wwwAuthenticate);
        if (challenge.isEmpty()) {
            return false;
        }
        Authenticator.Answer answer = current.onChallenge(challenge.get(), scopes, sent, host);
        current = answer.next();
        return answer.retry();
    }

    /** What this host's credentials are, as errors name them ("user bob"), or empty when none are configured. */
    public Optional<String> credentialsDescription() throws IOException {
        return host.credentials().get().map(c -> c.isPassword() ? "the credentials of user " + c.username() : "the identity token");
    }

    @Override
    public String toString() {
        return "RegistryAuthorizer[" + host.host() + ", " + current + "]";
    }
}
