package dev.stevedore.image.registry.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The token service a host's Bearer challenge names ({@code realm}, {@code service}). Two flows, as
 * Docker's client has them:
 * <ul>
 *   <li>{@code GET realm?service=..&scope=..}, anonymous or with the host's Basic credentials, answering
 *       {@code token} or {@code access_token} and {@code expires_in} (60 s when absent);</li>
 *   <li>with an identity token, the OAuth2 refresh grant: {@code POST realm} with a form of
 *       {@code grant_type=refresh_token}, {@code service}, {@code scope}, {@code client_id} and
 *       {@code refresh_token}. A service that answers with a {@code refresh_token} of its own has rotated
 *       it: the new one replaces the old for the rest of the task.</li>
 * </ul>
 * Only the credentials configured for the challenging host are ever sent, and only to its realm.
 */
final class TokenService {

    static final Duration DEFAULT_LIFETIME = Duration.ofSeconds(60);
    /** What we say we are in the OAuth2 form; Docker sends {@code docker}. */
    static final String CLIENT_ID = "stevedore";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY = 1 << 20;

    private final HostAuthContext host;
    private final AuthChallenge challenge;

    TokenService(HostAuthContext host, AuthChallenge challenge) {
        this.host = host;
        this.challenge = challenge;
    }

    TokenSlot.Token fetch(List<String> scopes) throws IOException {
        Optional<Credentials> credentials = host.credentials().get();
        if (credentials.isPresent() && !credentials.get().isPassword()) {
            // A service that rotates refresh tokens invalidates the one it was given: grants for other
            // scopes sent meanwhile with that one would be refused. So one grant at a time per host, each
            // with the refresh token current when it starts.
            synchronized (host.credentials()) {
                return fetch(scopes, host.credentials().get());
            }
        }
        return fetch(scopes, credentials);
    }

    private TokenSlot.Token fetch(List<String> scopes, Optional<Credentials> credentials) throws IOException {
        Instant requested = host.clock().instant();
        host.requests().requested(host.host(), challenge.realm().replaceAll("\\?.*", ""), scopes);
        boolean refresh = credentials.isPresent() && !credentials.get().isPassword();
        HttpRequest request = refresh ? refreshGrant(scopes, credentials.get()) : tokenGet(scopes, credentials);
        HttpResponse<InputStream> response = host.tokens().send(request);
        byte[] body;
        try (InputStream in = response.body()) {
            body = in.readNBytes(MAX_BODY);
        }
        int status = response.statusCode();
        String asked = scopes.isEmpty() ? "access" : String.join(" ", scopes);
        String realmHost = URI.create(challenge.realm()).getAuthority();
        // OAuth2 answers a refresh token it does not know (expired, revoked) with 400 invalid_grant.
        if (status == 401 || status == 403 || (refresh && status == 400)) {
            throw TokenServiceException.refused("get a token for " + asked + " from " + realmHost + ", the token service of registry "
                    + host.host(), " (HTTP " + status + ")", host.host(), credentials.map(c -> refresh ? "the identity token" : "user " + c.username()),
                    status);
        }
        if (status != 200) {
            throw TokenServiceException.failed("the token service of registry " + host.host() + " (" + realmHost + ") answered HTTP " + status
                    + " when asked for " + asked
                    + (status >= 500 || status == 429 ? ": it is failing or overloaded; try again later" : ""), status);
        }
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (IOException e) {
            throw TokenServiceException.failed("the token service of registry " + host.host() + " (" + realmHost + ") answered something that is not JSON", 0);
        }
        String value = json.path("token").asText("");
        if (value.isEmpty()) {
            value = json.path("access_token").asText("");
        }
        if (value.isEmpty()) {
            throw TokenServiceException.failed("the token service of registry " + host.host() + " (" + realmHost + ") answered without a token", 0);
        }
        String rotated = json.path("refresh_token").asText("");
        if (refresh && !rotated.isEmpty()) {
            host.credentials().replace(Credentials.identityToken(credentials.get().username(), rotated));
        }
        long seconds = json.path("expires_in").asLong(0);
        Duration lifetime = seconds > 0 ? Duration.ofSeconds(seconds) : DEFAULT_LIFETIME;
        return new TokenSlot.Token(value, requested.plus(lifetime), TokenSlot.refreshMargin(lifetime));
    }

    /** The URL a token is asked at with GET; package-visible for tests. */
    URI tokenUri(List<String> scopes) {
        StringBuilder query = new StringBuilder();
        if (challenge.service() != null) {
            query.append("service=").append(encode(challenge.service()));
        }
        for (String scope : scopes) {
            query.append(query.length() == 0 ? "" : "&").append("scope=").append(encode(scope));
        }
        String realm = challenge.realm();
        return URI.create(query.length() == 0 ? realm : realm + (realm.contains("?") ? "&" : "?") + query);
    }

    private HttpRequest tokenGet(List<String> scopes, Optional<Credentials> credentials) {
        HttpRequest.Builder request = HttpRequest.newBuilder(tokenUri(scopes)).GET();
        credentials.ifPresent(c -> request.header("Authorization", c.basicHeader()));
        return request.build();
    }

    private HttpRequest refreshGrant(List<String> scopes, Credentials identity) {
        StringBuilder form = new StringBuilder("grant_type=refresh_token");
        if (challenge.service() != null) {
            form.append("&service=").append(encode(challenge.service()));
        }
        if (!scopes.isEmpty()) {
            form.append("&scope=").append(encode(String.join(" ", scopes)));
        }
        form.append("&client_id=").append(CLIENT_ID).append("&refresh_token=").append(encode(identity.secret()));
        return HttpRequest.newBuilder(URI.create(challenge.realm()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString(), StandardCharsets.UTF_8))
                .build();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
