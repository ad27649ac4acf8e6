package dev.stevedore.image.registry.auth;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * How token requests reach a token service: through the registry client's own transport, so that they get
 * what every registry request gets (redirects followed, an idle timeout on the body, the {@code -vv} line),
 * from the package that owns it, below this one.
 */
@FunctionalInterface
public interface TokenTransport {

    /**
     * Sends a token request (the GET, or the refresh grant's POST) and answers the final response, after
     * redirects. Its body stops with an {@link java.io.IOException} when the service falls silent.
     */
    HttpResponse<InputStream> send(HttpRequest request) throws IOException;
}
