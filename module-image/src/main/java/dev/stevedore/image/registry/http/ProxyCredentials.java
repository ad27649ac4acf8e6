package dev.stevedore.image.registry.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * The user and password of an HTTP proxy, from the user-info part of {@code HTTPS_PROXY} or
 * {@code HTTP_PROXY} ({@code http://user:password@proxy:3128}). {@link #toString()} never shows the password.
 */
public record ProxyCredentials(String username, String password) {

    public ProxyCredentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
    }

    /** The value of a {@code Proxy-Authorization} header (Basic, RFC 7617, UTF-8 as curl sends it). */
    public String basicHeader() {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "ProxyCredentials[username=" + username + ", password=<redacted>]";
    }
}
