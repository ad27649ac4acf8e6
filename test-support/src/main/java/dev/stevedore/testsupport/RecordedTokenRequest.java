package dev.stevedore.testsupport;

import java.time.Instant;
import java.util.List;

/**
 * One request the {@link TokenServer} received.
 *
 * @param user    the Basic-auth user name sent (whether or not the password was right), or {@code null}
 *                when the request was anonymous; the password is never recorded
 * @param service the {@code service} query parameter, or {@code null}
 * @param scopes  every {@code scope} query parameter, in order
 * @param at      when it arrived
 * @param grant   {@code null} for the token GET; {@code refresh_token} for an OAuth2 POST exchanging an
 *                identity token (whose {@code user} is the one the refresh token belongs to, or null if unknown)
 */
public record RecordedTokenRequest(String user, String service, List<String> scopes, Instant at, String grant) {
    public RecordedTokenRequest {
        scopes = List.copyOf(scopes);
    }
}
