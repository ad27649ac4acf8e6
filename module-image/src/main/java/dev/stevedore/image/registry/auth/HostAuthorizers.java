package dev.stevedore.image.registry.auth;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@link RegistryAuthorizer} per origin a registry's requests reach: the registry itself, and any
 * host it redirects to. A 401 is answered by the authorizer of the host that sent it, with the
 * credentials configured for that host, so nothing meant for one host reaches another (as OkHttp
 * authenticates per route).
 */
public final class HostAuthorizers {

    /** The credentials configured for a {@code host[:port]}: {@code auths}, the Docker config, a helper. */
    @FunctionalInterface
    public interface CredentialsForHost {
        Optional<Credentials> lookup(String hostPort) throws IOException;
    }

    private final CredentialsForHost credentials;
    private final TokenTransport tokens;
    private final Clock clock;
    private final TokenRequests tokenRequests;
    private final Map<String, RegistryAuthorizer> byOrigin = new ConcurrentHashMap<>();

    /** Told of each token request, for {@code -vv}: never the token or credentials. */
    @FunctionalInterface
    public interface TokenRequests {
        TokenRequests NONE = (host, realm, scopes) -> { };

        void requested(String host, String realm, java.util.List<String> scopes);
    }

    public HostAuthorizers(CredentialsForHost credentials, TokenTransport tokens, Clock clock) {
        this(credentials, tokens, clock, TokenRequests.NONE);
    }

    public HostAuthorizers(CredentialsForHost credentials, TokenTransport tokens, Clock clock, TokenRequests tokenRequests) {
        this.tokenRequests = tokenRequests;
        this.credentials = credentials;
        this.tokens = tokens;
        this.clock = clock;
    }

    /** The authorizer of the origin {@code uri} belongs to. */
    public RegistryAuthorizer forUri(URI uri) {
        return byOrigin.computeIfAbsent(originKey(uri), key -> {
            String hostPort = uri.getRawAuthority();
            HostCredentials configured = new HostCredentials(() -> credentials.lookup(hostPort));
            return new RegistryAuthorizer(new HostAuthContext(hostPort, configured, tokens, clock, tokenRequests));
        });
    }

    /** {@code scheme://host:port}, lower case, with the scheme's default port spelled out. */
    static String originKey(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    }
}
