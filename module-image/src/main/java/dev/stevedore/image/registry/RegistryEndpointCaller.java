package dev.stevedore.image.registry;

import dev.stevedore.image.registry.auth.RegistryAuthorizer;
import dev.stevedore.image.registry.http.IdleTimeoutBodyPublisher;
import dev.stevedore.image.registry.http.IdleTimeoutBodySubscriber;
import dev.stevedore.image.registry.http.ProxyRefusedException;
import dev.stevedore.image.registry.http.RetryAfter;
import dev.stevedore.image.registry.http.RetryPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.Objects;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Sends a {@link RegistryEndpoint}'s request to one registry with everything every request needs:
 * the {@code Authorization} header (learned from 401 challenges), redirects followed by hand (at most
 * {@value #MAX_REDIRECTS}, never carrying the registry's credentials to another origin), retries of
 * connection faults, 5xx and 429 under the {@link RetryPolicy}, and errors turned into
 * {@link RegistryException}s that name the action.
 */
public final class RegistryEndpointCaller {

    static final int MAX_REDIRECTS = 5;
    private static final int MAX_AUTH_RETRIES = 2;
    private static final int MAX_ERROR_BODY = 64 * 1024;

    private final HttpClient client;
    private final URI origin;
    private final RegistryAuthorizer authorizer;
    private final RetryPolicy retryPolicy;
    private final Duration readTimeout;
    private final Clock clock;
    private final TransportFailures transportFailures;

    /**
     * @param origin the registry's {@code scheme://host:port}; credentials go only there
     * @param form   the task's argument form, for the remedies of TLS and plain-HTTP errors
     */
    public RegistryEndpointCaller(HttpClient client, URI origin, RegistryAuthorizer authorizer, RetryPolicy retryPolicy,
                                  Duration readTimeout, Clock clock, TaskForm form) {
        this.transportFailures = new TransportFailures(origin, form);
        this.client = client;
        this.origin = origin;
        this.authorizer = authorizer;
        this.retryPolicy = retryPolicy;
        this.readTimeout = readTimeout;
        this.clock = clock;
    }

    public <T> T call(RegistryEndpoint<T> endpoint) throws IOException {
        int attempt = 0;
        int authRetries = 0;
        Duration waited = Duration.ZERO;
        while (true) {
            attempt++;
            Duration retryAfter = null;
            RegistryException failure;
            try {
                HttpResponse<InputStream> response = send(endpoint);
                int status = response.statusCode();
                if (endpoint.accepts(status)) {
                    return endpoint.handle(response);
                }
                byte[] body = drain(response);
                // A body read from a stream cannot be sent twice; uploads authenticate on their POST first.
                if (status == 401 && authRetries < MAX_AUTH_RETRIES && endpoint.repeatable()
                        && authorizer.onUnauthorized(response.headers().firstValue("WWW-Authenticate").orElse(null), endpoint.scopes(),
                                response.request().headers().firstValue("Authorization"))) {
                    authRetries++;
                    attempt--;
                    continue;
                }
                retryAfter = RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null), clock).orElse(null);
                RegistryException tlsPort = transportFailures.plainHttpToTlsPort(endpoint.action(), status, body);
                failure = tlsPort != null ? tlsPort : RegistryErrors.toException(status, body, endpoint.action(), retryAfter);
                if (!(status == 429 || status >= 500)) {
                    throw failure;
                }
            } catch (RegistryException e) {
                // A server error or rate limit while authorizing (the token service answered 503, say) is as
                // transient as one from the registry itself; anything else (bad credentials) is final.
                if (!(e.status() == 429 || e.status() >= 500)) {
                    throw e;
                }
                failure = e;
            } catch (SSLHandshakeException e) {
                throw transportFailures.handshakeFailed(endpoint.action(), e);
            } catch (SSLException e) {
                throw transportFailures.tlsFailed(endpoint.action(), e);
            } catch (ProxyRefusedException e) {
                throw new RegistryException(e.getMessage(), e.status(), e);
            } catch (InterruptedIOException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                failure = new RegistryException.ConnectionFailed(endpoint.action(), origin.getAuthority(), e);
            } catch (IOException e) {
                failure = new RegistryException.ConnectionFailed(endpoint.action(), origin.getAuthority(), e);
            }
            Duration delay = endpoint.repeatable() ? retryPolicy.nextDelay(attempt, waited, retryAfter) : null;
            if (delay == null) {
                throw failure;
            }
            sleep(delay);
            waited = waited.plus(delay);
        }
    }

    private HttpResponse<InputStream> send(RegistryEndpoint<?> endpoint) throws IOException {
        URI uri = endpoint.uri();
        String method = endpoint.method();
        boolean withBody = true;
        for (int hop = 0; ; hop++) {
            HttpRequest.BodyPublisher body = withBody ? endpoint.body() : HttpRequest.BodyPublishers.noBody();
            IdleTimeoutBodyPublisher guarded = null;
            if (hasBody(method, withBody)) {
                // Uploads may take long before the registry answers, so they get no deadline; but a connection
                // that stops taking the body must not hang the push.
                guarded = IdleTimeoutBodyPublisher.wrap(body, readTimeout);
                body = guarded;
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).method(method, body);
            endpoint.headers().forEach(request::header);
            if (!hasBody(method, withBody)) {
                request.timeout(readTimeout);
            }
            if (sameOrigin(uri, origin)) {
                authorizer.authorization(endpoint.scopes()).ifPresent(value -> request.header("Authorization", value));
            }
            HttpResponse<InputStream> response = sendOnce(request.build(), guarded);
            int status = response.statusCode();
            if (!isRedirect(status)) {
                return response;
            }
            drain(response);
            String location = response.headers().firstValue("Location").orElse(null);
            if (location == null || hop >= MAX_REDIRECTS) {
                throw new RegistryException("failed to " + endpoint.action() + ": "
                        + (location == null ? "redirect without a Location" : "more than " + MAX_REDIRECTS + " redirects"), status, null);
            }
            uri = uri.resolve(location);
            if (status == 303) {
                method = "GET";
                withBody = false;
            }
        }
    }

    private HttpResponse<InputStream> sendOnce(HttpRequest request, IdleTimeoutBodyPublisher guarded) throws IOException {
        if (guarded == null) {
            try {
                return client.send(request, IdleTimeoutBodySubscriber.handler(readTimeout));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted");
            }
        }
        CompletableFuture<HttpResponse<InputStream>> response = client.sendAsync(request, IdleTimeoutBodySubscriber.handler(readTimeout));
        // A stalled upload ends the wait at once; the abandoned exchange dies with its connection.
        guarded.stalled().thenAccept(response::completeExceptionally);
        try {
            return response.get();
        } catch (InterruptedException e) {
            response.cancel(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof IOException io ? io : new IOException(cause.getMessage(), cause);
        }
    }

    private static boolean hasBody(String method, boolean withBody) {
        return withBody && (method.equals("PUT") || method.equals("PATCH"));
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /** Scheme, host and port equal: the only case where the registry's Authorization may be sent. */
    static boolean sameOrigin(URI a, URI b) {
        return Objects.equals(lower(a.getScheme()), lower(b.getScheme())) && Objects.equals(lower(a.getHost()), lower(b.getHost()))
                && port(a) == port(b);
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(java.util.Locale.ROOT);
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    static byte[] drain(HttpResponse<InputStream> response) throws IOException {
        try (InputStream in = response.body()) {
            return in.readNBytes(MAX_ERROR_BODY);
        }
    }

    private void sleep(Duration delay) throws InterruptedIOException {
        try {
            retryPolicy.sleeper().sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to retry");
        }
    }

    /** The registry origin this caller talks to. */
    public URI origin() {
        return origin;
    }
}
