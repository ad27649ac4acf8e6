package dev.stevedore.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Fetches tokens from a {@link TokenServer} the way a registry client would, for tests. */
final class Tokens {
    private static final Pattern TOKEN = Pattern.compile("\"token\":\"([^\"]+)\"");

    private Tokens() {
    }

    static HttpResponse<String> request(TokenServer server, String scope, String basicAuthorization) throws IOException {
        URI uri = URI.create(server.realm() + "?service=" + URLEncoder.encode(server.service(), StandardCharsets.UTF_8)
                + "&scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
        if (basicAuthorization != null) {
            request.header("Authorization", basicAuthorization);
        }
        try {
            return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** {@code "Bearer <jwt>"} for {@code scope}, failing unless the server answers 200. */
    static String bearer(TokenServer server, String scope, String basicAuthorization) throws IOException {
        HttpResponse<String> response = request(server, scope, basicAuthorization);
        if (response.statusCode() != 200) {
            throw new IOException("token server answered " + response.statusCode() + ": " + response.body());
        }
        Matcher matcher = TOKEN.matcher(response.body());
        if (!matcher.find()) {
            throw new IOException("no token in " + response.body());
        }
        return "Bearer " + matcher.group(1);
    }

    /** The decoded claims (JSON text) of a {@code "Bearer <jwt>"} header. */
    static String claims(String bearer) {
        String[] parts = bearer.substring("Bearer ".length()).split("\\.");
        return new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
    }

    static String header(String bearer) {
        String[] parts = bearer.substring("Bearer ".length()).split("\\.");
        return new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8);
    }
}
