package dev.stevedore.image.registry.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The HttpClient of a registry configuration that goes through a proxy: each request the proxy will
 * see carries the proxy's {@code Proxy-Authorization} (Basic, sent up front, as curl and Docker do),
 * and a proxy's refusal becomes a {@link ProxyRefusedException} that names the proxy and says what to
 * check, instead of an HTTP 407 or the JDK's "Tunnel failed, got: 401".
 *
 * <p>The header is added here and not through the JDK's {@link Authenticator}: an HttpClient with an
 * Authenticator also answers the registry's own 401 challenges (and fails a 401 that has none), which
 * is the registry authorizer's job. The JDK keeps the header to the proxy: it goes on the CONNECT of
 * a tunnel, never inside it, and never on a request that goes direct; and it is only added when the
 * proxy selector routes the request through a proxy with credentials.
 */
final class ProxyAuthorizingClient extends HttpClient {

    /** The JDK's message when a CONNECT is answered with anything but 200 or a 407 it hands back. */
    private static final Pattern TUNNEL_FAILED = Pattern.compile("Tunnel failed, got: (\\d{3})");

    private final HttpClient delegate;
    private final ProxySelectorFromEnv proxies;
    private final boolean basicOnTunnels;

    /** @param basicOnTunnels whether the JDK sends Basic credentials on CONNECT in this process */
    ProxyAuthorizingClient(HttpClient delegate, ProxySelectorFromEnv proxies, boolean basicOnTunnels) {
        this.delegate = delegate;
        this.proxies = proxies;
        this.basicOnTunnels = basicOnTunnels;
    }

    /** The client that does the work, for {@link HttpClients#shutDown}. */
    HttpClient delegate() {
        return delegate;
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException, InterruptedException {
        HttpResponse<T> response;
        try {
            response = delegate.send(authorize(request), handler);
        } catch (IOException e) {
            throw explain(request.uri(), e);
        }
        refuseOn407(request.uri(), response);
        return response;
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        return settle(request.uri(), delegate.sendAsync(authorize(request), handler));
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
                                                            HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
        return settle(request.uri(), delegate.sendAsync(authorize(request), handler, pushPromiseHandler));
    }

    private <T> CompletableFuture<HttpResponse<T>> settle(URI uri, CompletableFuture<HttpResponse<T>> exchange) {
        CompletableFuture<HttpResponse<T>> settled = exchange.handle((response, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                throw new CompletionException(cause instanceof IOException io ? explain(uri, io) : cause);
            }
            try {
                refuseOn407(uri, response);
            } catch (ProxyRefusedException e) {
                throw new CompletionException(e);
            }
            return response;
        });
        // A caller that gives up on the answer (a stalled upload, an interrupt) ends the exchange too.
        settled.whenComplete((response, failure) -> {
            if (failure != null && !exchange.isDone()) {
                exchange.cancel(true);
            }
        });
        return settled;
    }

    private HttpRequest authorize(HttpRequest request) {
        Optional<ProxySelectorFromEnv.Route> route = proxies.routeFor(request.uri());
        if (route.isEmpty() || route.get().credentials() == null) {
            return request;
        }
        return HttpRequest.newBuilder(request, (name, value) -> !name.equalsIgnoreCase("Proxy-Authorization"))
                .header("Proxy-Authorization", route.get().credentials().basicHeader())
                .build();
    }

    private <T> void refuseOn407(URI uri, HttpResponse<T> response) throws ProxyRefusedException {
        if (response.statusCode() != 407) {
            return;
        }
        close(response.body());
        List<String> challenges = response.headers().allValues("Proxy-Authenticate");
        throw refused(uri, 407, challenges);
    }

    private IOException explain(URI uri, IOException failure) {
        Matcher tunnel = TUNNEL_FAILED.matcher(String.valueOf(failure.getMessage()));
        if (tunnel.find()) {
            int status = Integer.parseInt(tunnel.group(1));
            if (status == 401 || status == 407) {
                ProxyRefusedException refused = refused(uri, status, List.of());
                refused.initCause(failure);
                return refused;
            }
        }
        return failure;
    }

    private ProxyRefusedException refused(URI uri, int status, List<String> challenges) {
        ProxySelectorFromEnv.Route route = proxies.routeFor(uri).orElse(null);
        String proxy = route == null ? "the proxy" : "proxy " + route.hostPort() + " (from " + route.variable() + ")";
        String variable = route == null ? "HTTPS_PROXY or HTTP_PROXY" : route.variable();
        String target = "a request to " + uri.getScheme() + "://" + uri.getAuthority();
        List<String> schemes = challenges.stream().map(c -> c.strip().split("\\s+", 2)[0]).filter(s -> !s.isEmpty()).toList();
        if (!schemes.isEmpty() && schemes.stream().noneMatch(s -> s.equalsIgnoreCase("Basic"))) {
            return new ProxyRefusedException(proxy + " asks for " + String.join(" or ", schemes) + " authentication for " + target
                    + " (HTTP 407); only Basic is supported: ask for a proxy account with Basic authentication, or reach the registry"
                    + " without this proxy (NO_PROXY)", status);
        }
        if (route == null || route.credentials() == null) {
            return new ProxyRefusedException(proxy + " requires authentication for " + target + " (HTTP " + status
                    + "): give its user and password in " + variable + " as http://user:password@host:port", status);
        }
        boolean tunnel = "https".equals(uri.getScheme().toLowerCase(Locale.ROOT));
        String notSent = tunnel && !basicOnTunnels
                ? "; the JDK did not send them on the tunnel: this JVM made an HTTP client before the proxy credentials were known,"
                + " or " + TunnelingBasicAuth.PROPERTY + " lists Basic, and the JDK reads that property once: start Java with -D"
                + TunnelingBasicAuth.PROPERTY + "="
                : "";
        return new ProxyRefusedException(proxy + " refused the user and password given for it (HTTP " + status + " for " + target
                + "): check the proxy user and password in " + variable + " (http://user:password@host:port; percent-encode"
                + " @, :, / and % in them)" + notSent, status);
    }

    private static void close(Object body) {
        if (body instanceof InputStream in) {
            try {
                in.close();
            } catch (IOException ignored) {
                // The proxy closes this connection anyway; the refusal is what matters.
            }
        }
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
        return delegate.cookieHandler();
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return delegate.connectTimeout();
    }

    @Override
    public Redirect followRedirects() {
        return delegate.followRedirects();
    }

    @Override
    public Optional<ProxySelector> proxy() {
        return delegate.proxy();
    }

    @Override
    public SSLContext sslContext() {
        return delegate.sslContext();
    }

    @Override
    public SSLParameters sslParameters() {
        return delegate.sslParameters();
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return delegate.authenticator();
    }

    @Override
    public Version version() {
        return delegate.version();
    }

    @Override
    public Optional<Executor> executor() {
        return delegate.executor();
    }

    @Override
    public WebSocket.Builder newWebSocketBuilder() {
        return delegate.newWebSocketBuilder();
    }

    @Override
    public String toString() {
        return "ProxyAuthorizingClient[" + delegate + ", " + proxies + "]";
    }
}
