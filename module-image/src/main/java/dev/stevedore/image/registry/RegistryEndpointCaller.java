package dev.stevedore.image.registry;

import dev.stevedore.image.registry.auth.HostAuthorizers;
import dev.stevedore.image.registry.auth.RegistryAuthorizer;
import dev.stevedore.image.registry.auth.Scopes;
import dev.stevedore.image.registry.auth.TokenServiceException;
import dev.stevedore.image.registry.http.ConnectionFault;
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
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.Objects;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Sends a {@link RegistryEndpoint}'s request to one registry with everything every request needs:
 * the {@code Authorization} header, redirects followed by hand (at most {@value #MAX_REDIRECTS}),
 * retries of connection faults, 5xx and 429 under the {@link RetryPolicy}, and errors turned into
 * {@link RegistryException}s that name the action.
 *
 * <p>Authentication is per host: each hop of a request carries what the authorizer of that hop's own
 * origin holds, and a 401 is answered by the authorizer of the host that sent it, then the request is
 * sent again to that host. So a redirect target that never challenges gets nothing, and one that does
 * gets only the tokens its own realm issued, fetched with the credentials configured for it.
 */
public final class RegistryEndpointCaller {

    static final int MAX_REDIRECTS = 5;
    /** A first challenge, a wider scope, a renewed token: more than that is a refusal. */
    private static final int MAX_AUTH_RETRIES = 3;
    private static final int MAX_ERROR_BODY = 64 * 1024;

    private final HttpClient client;
    private final URI origin;
    private final HostAuthorizers authorizers;
    private final RetryPolicy retryPolicy;
    private final Duration readTimeout;
    private final Clock clock;
    private final RegistryReachability reachability;
    private final RegistryEvents events;
    private final TransportFailures transportFailures;
    private final RequestThrottle throttle = new RequestThrottle();
    private final PullBudget budget;

    /**
     * @param origin      the registry's {@code scheme://host:port}; requests to it need the endpoint's scopes
     * @param authorizers the authentication state of each host the requests reach
     * @param form        the task's argument form, for the remedies of TLS and plain-HTTP errors
     * @param events      told of waits and, for {@code -vv}, of each exchange
     * @param budget      told of every answer, for the pull budgets registries announce
     */
    public RegistryEndpointCaller(HttpClient client, URI origin, HostAuthorizers authorizers, RetryPolicy retryPolicy,
                                  Duration readTimeout, Clock clock, TaskForm form, RegistryEvents events, PullBudget budget) {
        this.transportFailures = new TransportFailures(origin, form);
        this.budget = budget;
        this.reachability = new RegistryReachability(origin.getRawAuthority(), retryPolicy, clock, events);
        this.events = events;
        this.client = client;
        this.origin = origin;
        this.authorizers = authorizers;
        this.retryPolicy = retryPolicy;
        this.readTimeout = readTimeout;
        this.clock = clock;
    }

    public <T> T call(RegistryEndpoint<T> endpoint) throws IOException {
        return call(endpoint, new RetryBudget(retryPolicy));
    }

    /**
     * The same, spending attempts from {@code attempts}, which the operation this request is part of shares
     * among all its requests (an upload's sessions, say).
     */
    <T> T call(RegistryEndpoint<T> endpoint, RetryBudget attempts) throws IOException {
        int joinedRound = 0;
        while (true) {
            Duration retryAfter = null;
            RegistryException failure;
            try {
                reachability.checkNotGivenUp();
                RequestThrottle.Permit permit = throttle.acquire();
                HttpResponse<InputStream> response;
                try {
                    response = send(endpoint, attempts.attempt());
                } finally {
                    throttle.release();
                }
                reachability.reached();
                budget.observe(response.headers());
                int status = response.statusCode();
                if (endpoint.accepts(status)) {
                    return endpoint.handle(response);
                }
                byte[] body = drain(response);
                retryAfter = RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null), clock).orElse(null);
                RegistryException tlsPort = transportFailures.plainHttpToTlsPort(endpoint.action(), status, body);
                failure = tlsPort != null ? tlsPort : RegistryErrors.toException(status, body, endpoint.action(), retryAfter, refusal(response));
                if (status == 429) {
                    rateLimited(endpoint, response, body, permit);
                }
                if (!(status == 429 || status >= 500)) {
                    throw failure;
                }
            } catch (RegistryException e) {
                // A spent pull budget is final: no wait within the task ends the window.
                if (e instanceof PullLimitReachedException || !(e.status() == 429 || e.status() >= 500)) {
                    throw e;
                }
                failure = e;
            } catch (TokenServiceException e) {
                // A server error or rate limit while authorizing (the token service answered 503, say) is as
                // transient as one from the registry itself; anything else (bad credentials) is final.
                RegistryException translated = e.refused()
                        ? new RegistryException.Unauthorized(e.action(), e.detail(), e.host(), e.sent())
                        : new RegistryException(e.getMessage(), e.status(), e);
                if (!(e.status() == 429 || e.status() >= 500)) {
                    throw translated;
                }
                failure = translated;
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
            } catch (RegistryReachability.GivenUp e) {
                throw new RegistryException.ConnectionFailed(endpoint.action(), origin.getRawAuthority(), e.fault(), e.attempts());
            } catch (IOException e) {
                Optional<ConnectionFault> fault = ConnectionFault.of(e);
                if (fault.isPresent() && endpoint.repeatable()) {
                    // No connection was made: the registry's shared budget decides, not this request's.
                    try {
                        joinedRound = reachability.failed(fault.get(), joinedRound);
                    } catch (RegistryReachability.GivenUp given) {
                        throw new RegistryException.ConnectionFailed(endpoint.action(), origin.getRawAuthority(), given.fault(), given.attempts());
                    }
                    continue;
                }
                failure = new RegistryException.ConnectionFailed(endpoint.action(), origin.getAuthority(), e);
            }
            Duration delay = endpoint.repeatable() ? attempts.afterFailure(retryAfter) : null;
            if (delay == null) {
                throw failure;
            }
            events.retrying(origin.getRawAuthority(), reason(failure), attempts.attempt(), attempts.maxAttempts(), delay);
            sleep(delay);
        }
    }

    /**
     * A 429 with the budget spent ({@code RateLimit-Remaining: 0}) fails at once: no wait within the task ends
     * the window. Any other 429 slows every request to this registry down, this one then waits and tries again.
     */
    private void rateLimited(RegistryEndpoint<?> endpoint, HttpResponse<InputStream> response, byte[] body, RequestThrottle.Permit permit)
            throws PullLimitReachedException {
        Optional<RateLimit> spent = RateLimit.of(response.headers()).filter(limit -> limit.remaining() == 0);
        if (spent.isPresent()) {
            throw new PullLimitReachedException(endpoint.action(), origin.getRawAuthority(), spent.get(), RegistryErrors.detail(429, body));
        }
        throttle.rateLimited(permit).ifPresent(limit -> events.slowedDown(origin.getRawAuthority(), limit));
    }

    /** The pull budget of this registry, as its answers announce it. */
    PullBudget pullBudget() {
        return budget;
    }

    /** Who answered: the host that refused is named, with what was configured for it, not the registry. */
    private RegistryErrors.Refusal refusal(HttpResponse<InputStream> response) throws IOException {
        RegistryAuthorizer answered = authorizers.forUri(response.uri());
        return new RegistryErrors.Refusal(answered.host(),
                response.statusCode() == 401 ? answered.credentialsDescription() : Optional.empty(),
                response.request().method(), response.uri());
    }

    /** What made a request fail, short, for the line announcing the wait. */
    private static String reason(RegistryException failure) {
        if (failure.status() == 429) {
            return "rate limited (HTTP 429)";
        }
        return failure.status() > 0 ? "HTTP " + failure.status() : "connection lost";
    }

    private HttpResponse<InputStream> send(RegistryEndpoint<?> endpoint, int attempt) throws IOException {
        URI uri = endpoint.uri();
        String method = endpoint.method();
        boolean withBody = true;
        int hop = 0;
        int authRetries = 0;
        while (true) {
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
            RegistryAuthorizer hostAuth = authorizers.forUri(uri);
            boolean toTheRegistry = sameOrigin(uri, origin);
            List<String> scopes = toTheRegistry ? endpoint.scopes() : Scopes.forRequest(method, uri.getPath());
            Optional<String> own = toTheRegistry ? endpoint.authorization() : Optional.empty();
            Optional<String> sent = own.isPresent() ? own : hostAuth.authorization(scopes);
            sent.ifPresent(value -> request.header("Authorization", value));
            long started = System.nanoTime();
            HttpResponse<InputStream> response = sendOnce(request.build(), guarded);
            int status = response.statusCode();
            events.exchanged(method, RegistryEvents.shown(uri), status, bytes(response, body), Duration.ofNanos(System.nanoTime() - started),
                    attempt);
            // A body read from a stream cannot be sent twice; uploads authenticate on their POST first.
            // Credentials the endpoint sent itself are final: a 401 to them is the answer, not a challenge to meet.
            if (status == 401 && own.isEmpty() && endpoint.repeatable() && authRetries < MAX_AUTH_RETRIES
                    && hostAuth.onUnauthorized(response.headers().firstValue("WWW-Authenticate").orElse(null), scopes, sent)) {
                drain(response);
                authRetries++;
                continue; // to the host that challenged, not back to the registry
            }
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
            hop++;
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

    /** What went over the wire, as far as the headers tell: the upload's length, else the answer's. */
    private static long bytes(HttpResponse<InputStream> response, HttpRequest.BodyPublisher body) {
        long sent = body.contentLength();
        return sent > 0 ? sent : response.headers().firstValueAsLong("Content-Length").orElse(-1);
    }

    private static boolean hasBody(String method, boolean withBody) {
        return withBody && (method.equals("PUT") || method.equals("PATCH"));
    }

    static boolean isRedirect(int status) {
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
}
