package dev.stevedore.image.registry;

import dev.stevedore.image.registry.auth.TokenTransport;
import dev.stevedore.image.registry.http.IdleTimeoutBodySubscriber;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Sends token requests as the registry client sends its own: on the registry's HttpClient, with the read
 * timeout as the deadline for the answer and as the idle timeout of its body, each exchange told to the
 * events ({@code -vv}), and redirects followed as the caller follows them (at most
 * {@value RegistryEndpointCaller#MAX_REDIRECTS}). A hop to another origin
 * drops the {@code Authorization} header: Basic credentials are meant for the realm's own host only. A 303,
 * and a 301 or 302 to a POST, continue as a GET, as HTTP clients do; 307 and 308 repeat the method and body.
 */
final class TokenRequestSender implements TokenTransport {

    private final HttpClient client;
    private final Duration readTimeout;
    private final RegistryEvents events;

    TokenRequestSender(HttpClient client, Duration readTimeout, RegistryEvents events) {
        this.client = client;
        this.readTimeout = readTimeout;
        this.events = events;
    }

    @Override
    public HttpResponse<InputStream> send(HttpRequest request) throws IOException {
        HttpRequest current = request;
        for (int hop = 0; ; hop++) {
            HttpRequest timed = HttpRequest.newBuilder(current, (name, value) -> true).timeout(readTimeout).build();
            long started = System.nanoTime();
            HttpResponse<InputStream> response;
            try {
                response = client.send(timed, IdleTimeoutBodySubscriber.handler(readTimeout));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while fetching a token from " + current.uri().getRawAuthority());
            }
            int status = response.statusCode();
            events.exchanged(current.method(), RegistryEvents.shown(current.uri()), status,
                    response.headers().firstValueAsLong("Content-Length").orElse(-1), Duration.ofNanos(System.nanoTime() - started), 1);
            String location = response.headers().firstValue("Location").orElse(null);
            if (!RegistryEndpointCaller.isRedirect(status) || location == null || hop >= RegistryEndpointCaller.MAX_REDIRECTS) {
                return response; // the token service reports what it answered, a redirect too many included
            }
            RegistryEndpointCaller.drain(response);
            current = redirected(current, current.uri().resolve(location), status);
        }
    }

    private static HttpRequest redirected(HttpRequest request, URI target, int status) {
        boolean asGet = status == 303 || ((status == 301 || status == 302) && request.method().equals("POST"));
        boolean sameOrigin = RegistryEndpointCaller.sameOrigin(request.uri(), target);
        HttpRequest.Builder next = HttpRequest.newBuilder(request, (name, value) ->
                (sameOrigin || !name.equalsIgnoreCase("Authorization")) && !(asGet && name.equalsIgnoreCase("Content-Type")))
                .uri(target);
        if (asGet) {
            next.GET();
        }
        return next.build();
    }
}
