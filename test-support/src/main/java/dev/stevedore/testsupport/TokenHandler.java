package dev.stevedore.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Answers one token request: checks Basic credentials, grants scopes, signs the JWT. */
final class TokenHandler implements HttpHandler {
    private final JwtSigner signer;
    private final Map<String, String> users;
    /** Refresh token to the user it belongs to. */
    private final Map<String, String> refreshTokens;
    private final boolean rotateRefreshTokens;
    private final boolean anonymousPull;
    private final String service;
    private final String issuer;
    private final Clock clock;
    private final List<RecordedTokenRequest> requests = new CopyOnWriteArrayList<>();
    private final List<String> issued = new CopyOnWriteArrayList<>();
    private volatile Duration expiresIn;
    private volatile Duration delay = Duration.ZERO;
    private volatile Duration clockSkew = Duration.ZERO;

    TokenHandler(JwtSigner signer, Map<String, String> users, Map<String, String> refreshTokens, boolean rotateRefreshTokens,
                 boolean anonymousPull, String service, String issuer, Duration expiresIn, Clock clock) {
        this.refreshTokens = new ConcurrentHashMap<>(refreshTokens);
        this.rotateRefreshTokens = rotateRefreshTokens;
        this.signer = signer;
        this.users = users;
        this.anonymousPull = anonymousPull;
        this.service = service;
        this.issuer = issuer;
        this.expiresIn = expiresIn;
        this.clock = clock;
    }

    JwtSigner signer() {
        return signer;
    }

    String service() {
        return service;
    }

    String issuer() {
        return issuer;
    }

    List<RecordedTokenRequest> requests() {
        return requests;
    }

    List<String> issued() {
        return issued;
    }

    void setExpiresIn(Duration lifetime) {
        this.expiresIn = lifetime;
    }

    void setDelay(Duration delay) {
        this.delay = delay;
    }

    void setClockSkew(Duration skew) {
        this.clockSkew = skew;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Instant now = clock.instant();
            List<String> scopes = new ArrayList<>();
            String requestedService = null;
            for (String[] parameter : query(exchange.getRequestURI().getRawQuery())) {
                if (parameter[0].equals("scope")) {
                    scopes.add(parameter[1]);
                } else if (parameter[0].equals("service")) {
                    requestedService = parameter[1];
                }
            }
            if (exchange.getRequestMethod().equals("POST")) {
                refreshGrant(exchange, now);
                return;
            }
            String[] credentials = basicCredentials(exchange.getRequestHeaders().getFirst("Authorization"));
            String user = credentials == null ? null : credentials[0];
            requests.add(new RecordedTokenRequest(user, requestedService, scopes, now, null));
            sleep(delay);
            if (!exchange.getRequestMethod().equals("GET")) {
                send(exchange, 405, "{\"errors\":[{\"code\":\"UNSUPPORTED\",\"message\":\"only GET and POST are supported\"}]}");
            } else if (credentials != null && !credentials[1].equals(users.get(user))) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"stevedore-test\"");
                send(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"wrong user name or password\"}]}");
            } else {
                send(exchange, 200, tokenResponse(user, scopes, now));
            }
        }
    }

    /**
     * The OAuth2 refresh grant as Docker's client sends it for an identity token: a form with
     * {@code grant_type=refresh_token}, {@code service}, {@code scope} (space separated), {@code client_id}
     * and {@code refresh_token}; answered with {@code access_token}, {@code expires_in} and, when rotating,
     * a new {@code refresh_token} that replaces the old one. Errors follow RFC 6749 section 5.2.
     */
    private void refreshGrant(HttpExchange exchange, Instant now) throws IOException {
        String form = new String(exchange.getRequestBody().readNBytes(1 << 16), StandardCharsets.UTF_8);
        String grantType = null;
        String refreshToken = null;
        String requestedService = null;
        List<String> scopes = new ArrayList<>();
        for (String[] parameter : query(form)) {
            switch (parameter[0]) {
                case "grant_type" -> grantType = parameter[1];
                case "refresh_token" -> refreshToken = parameter[1];
                case "service" -> requestedService = parameter[1];
                case "scope" -> scopes.addAll(List.of(parameter[1].trim().split("\\s+")));
                default -> { }
            }
        }
        String user = refreshToken == null ? null : refreshTokens.get(refreshToken);
        requests.add(new RecordedTokenRequest(user, requestedService, scopes, now, grantType));
        sleep(delay);
        if (!"refresh_token".equals(grantType)) {
            send(exchange, 400, "{\"error\":\"unsupported_grant_type\"}");
            return;
        }
        if (user == null) {
            send(exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"unknown or revoked refresh token\"}");
            return;
        }
        String rotated = "";
        if (rotateRefreshTokens) {
            String next = "rt-" + UUID.randomUUID();
            refreshTokens.remove(refreshToken);
            refreshTokens.put(next, user);
            issued.add(next);
            rotated = ",\"refresh_token\":" + Json.string(next);
        }
        String access = tokenResponse(user, scopes, now);
        send(exchange, 200, access.substring(0, access.length() - 1) + rotated + "}");
    }

    private String tokenResponse(String user, List<String> scopes, Instant now) {
        Duration lifetime = expiresIn;
        long stamped = now.plus(clockSkew).getEpochSecond();
        String claims = "{\"iss\":" + Json.string(issuer)
                + ",\"sub\":" + Json.string(user == null ? "" : user)
                + ",\"aud\":" + Json.string(service)
                + ",\"exp\":" + (stamped + lifetime.toSeconds())
                // nbf a little in the past: the registry and this server share a clock, but not a second.
                + ",\"nbf\":" + (stamped - 1)
                + ",\"iat\":" + stamped
                + ",\"jti\":" + Json.string(UUID.randomUUID().toString())
                + ",\"access\":" + TokenGrant.accessClaim(scopes, user != null, anonymousPull) + "}";
        String token = signer.sign(claims);
        issued.add(token);
        return "{\"token\":" + Json.string(token) + ",\"access_token\":" + Json.string(token)
                + ",\"expires_in\":" + lifetime.toSeconds()
                + ",\"issued_at\":" + Json.string(DateTimeFormatter.ISO_INSTANT.format(now)) + "}";
    }

    private static String[] basicCredentials(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return new String[] {"", "\0invalid"};
        }
        int colon = decoded.indexOf(':');
        return colon < 0 ? new String[] {decoded, "\0invalid"}
                : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
    }

    private static List<String[]> query(String rawQuery) {
        List<String[]> parameters = new ArrayList<>();
        if (rawQuery == null) {
            return parameters;
        }
        for (String pair : rawQuery.split("&")) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            parameters.add(new String[] {URLDecoder.decode(name, StandardCharsets.UTF_8),
                    URLDecoder.decode(value, StandardCharsets.UTF_8)});
        }
        return parameters;
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static void sleep(Duration duration) {
        if (duration.isZero() || duration.isNegative()) {
            return;
        }
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
