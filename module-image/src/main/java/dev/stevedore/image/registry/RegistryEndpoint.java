package dev.stevedore.image.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

/**
 * One step of the Distribution protocol: the request it sends and how it reads the answer. The
 * {@link RegistryEndpointCaller} adds what every request needs (auth, retries, redirects, errors).
 *
 * @param <T> what the step yields
 */
public interface RegistryEndpoint<T> {

    String method();

    URI uri();

    /** Extra headers (Accept, Content-Type, Range); never Authorization (see {@link #authorization()}). */
    default Map<String, String> headers() {
        return Map.of();
    }

    /** A fresh body for each attempt, or {@code noBody()}. */
    default HttpRequest.BodyPublisher body() {
        return HttpRequest.BodyPublishers.noBody();
    }

    /** Whether the request may be sent again (false for a body read once from a stream). */
    default boolean repeatable() {
        return true;
    }

    /**
     * The {@code Authorization} this endpoint sends itself, to the registry's own origin only: for an API beside
     * the registry's that takes credentials up front and never challenges (Harbor's). Empty, the default, leaves
     * it to the host's authorizer.
     */
    default java.util.Optional<String> authorization() {
        return java.util.Optional.empty();
    }

    /** Token scopes, for example {@code repository:library/nginx:pull}. */
    List<String> scopes();

    /** Statuses {@link #handle} interprets; others become errors. */
    default boolean accepts(int status) {
        return status >= 200 && status < 300;
    }

    /**
     * Reads an accepted response. The endpoint owns the body: it closes it, or hands it on.
     * An IOException other than a {@link RegistryException} counts as a connection fault and is retried.
     */
    T handle(HttpResponse<InputStream> response) throws IOException;

    /** What the step does, for errors: {@code pull manifest <image> from registry <host>}. */
    String action();
}
