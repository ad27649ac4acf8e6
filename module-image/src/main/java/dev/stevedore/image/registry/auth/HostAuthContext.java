package dev.stevedore.image.registry.auth;

import java.time.Clock;

/**
 * What authenticating to one host needs.
 *
 * @param host        the host's {@code host[:port]}, for messages
 * @param credentials the credentials configured for this host, and only this host
 * @param tokens      how requests reach the host's token service
 * @param clock       when tokens expire
 * @param requests    told of each token request (realm and scopes only)
 */
public record HostAuthContext(String host, HostCredentials credentials, TokenTransport tokens, Clock clock,
                              HostAuthorizers.TokenRequests requests) {

    public HostAuthContext(String host, HostCredentials credentials, TokenTransport tokens, Clock clock) {
        this(host, credentials, tokens, clock, HostAuthorizers.TokenRequests.NONE);
    }
}
