package dev.stevedore.image.registry.auth;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;

/**
 * What authenticating to one host needs.
 *
 * @param host        the host's {@code host[:port]}, for messages
 * @param credentials the credentials configured for this host, and only this host
 * @param client      the HTTP client that reaches the host's token service
 * @param timeout     the deadline of one token request
 * @param clock       when tokens expire
 * @param requests    told of each token request (realm and scopes only)
 */
public record HostAuthContext(String host, HostCredentials credentials, HttpClient client, Duration timeout, Clock clock,
                              HostAuthorizers.TokenRequests requests) {

    public HostAuthContext(String host, HostCredentials credentials, HttpClient client, Duration timeout, Clock clock) {
        this(host, credentials, client, timeout, clock, HostAuthorizers.TokenRequests.NONE);
    }
}
