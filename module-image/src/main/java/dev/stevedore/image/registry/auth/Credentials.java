package dev.stevedore.image.registry.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * What one host's configuration gives to authenticate with: a username and a password, or an identity
 * token (an OAuth2 refresh token, what {@code docker login} stores for registries that issue one).
 * {@link #toString()} never shows the secret.
 *
 * @param secret the password, or the refresh token
 */
public record Credentials(String username, String secret, Kind kind) {

    /** What {@link #secret()} is. */
    public enum Kind { PASSWORD, IDENTITY_TOKEN }

    public Credentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(kind, "kind");
    }

    public Credentials(String username, String password) {
        this(username, password, Kind.PASSWORD);
    }

    /** Docker config's {@code identitytoken}: exchanged for access tokens, never sent as Basic. */
    public static Credentials identityToken(String username, String refreshToken) {
        return new Credentials(username, refreshToken, Kind.IDENTITY_TOKEN);
    }

    public boolean isPassword() {
        return kind == Kind.PASSWORD;
    }

    /** The password; only for {@link Kind#PASSWORD}. */
    public String password() {
        return secret;
    }

    /** The value of a Basic {@code Authorization} header. */
    public String basicHeader() {
        if (!isPassword()) {
            throw new IllegalStateException("an identity token is not sent as Basic credentials");
        }
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "Credentials[username=" + username + ", " + (isPassword() ? "password" : "identity token") + "=<redacted>]";
    }
}
