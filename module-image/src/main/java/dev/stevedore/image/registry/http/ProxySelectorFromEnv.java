package dev.stevedore.image.registry.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Chooses a proxy from {@code HTTPS_PROXY}, {@code HTTP_PROXY} and {@code NO_PROXY} (lower case
 * first, as curl does), which the JDK's HttpClient ignores unless told. {@code NO_PROXY} holds comma
 * separated hosts, {@code .domain} or {@code domain} suffixes (both match sub-domains), {@code host:port},
 * or {@code *}. A proxy URL may carry credentials, {@code http://user:password@proxy:3128} (percent-encoded
 * where they hold {@code @ : / %}); {@link ProxyAuthorizingClient} sends them.
 */
public final class ProxySelectorFromEnv extends ProxySelector {

    /**
     * Where requests of one scheme go.
     *
     * @param variable    the environment variable it came from, as spelled there ({@code https_proxy})
     * @param credentials the proxy's user and password, or null
     */
    public record Route(String variable, Proxy proxy, String hostPort, ProxyCredentials credentials) {
        @Override
        public String toString() {
            return hostPort + (credentials == null ? "" : " (with credentials)");
        }
    }

    private final Route https;
    private final Route http;
    private final List<String> noProxy;

    private ProxySelectorFromEnv(Route https, Route http, List<String> noProxy) {
        this.https = https;
        this.http = http;
        this.noProxy = noProxy;
    }

    /** A selector for the given environment, or empty when it names no proxy. */
    public static Optional<ProxySelectorFromEnv> fromEnvironment(Map<String, String> environment) {
        Route https = route(environment, "https_proxy");
        Route http = route(environment, "http_proxy");
        if (https == null && http == null) {
            return Optional.empty();
        }
        List<String> noProxy = new ArrayList<>();
        Map.Entry<String, String> list = variable(environment, "no_proxy");
        if (list != null) {
            for (String entry : list.getValue().split(",")) {
                String trimmed = entry.trim().toLowerCase(Locale.ROOT);
                if (!trimmed.isEmpty()) {
                    noProxy.add(trimmed);
                }
            }
        }
        return Optional.of(new ProxySelectorFromEnv(https, http, List.copyOf(noProxy)));
    }

    @Override
    public List<Proxy> select(URI uri) {
        return List.of(routeFor(uri).map(Route::proxy).orElse(Proxy.NO_PROXY));
    }

    /** The proxy a request to {@code uri} goes through, or empty when it goes direct. */
    public Optional<Route> routeFor(URI uri) {
        Route route = "https".equalsIgnoreCase(uri.getScheme()) ? https : http;
        return route == null || bypasses(uri) ? Optional.empty() : Optional.of(route);
    }

    /** Whether either proxy was given a user and password. */
    public boolean hasCredentials() {
        return (https != null && https.credentials() != null) || (http != null && http.credentials() != null);
    }

    @Override
    public void connectFailed(URI uri, SocketAddress address, IOException failure) {
        // Nothing to fall back to: the failure surfaces as a connection error and is retried.
    }

    boolean bypasses(URI uri) {
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        for (String entry : noProxy) {
            if (entry.equals("*")) {
                return true;
            }
            String entryHost = entry;
            int colon = entry.lastIndexOf(':');
            if (colon > 0 && entry.indexOf(':') == colon && !entry.endsWith("]")) {
                if (!entry.substring(colon + 1).equals(Integer.toString(port))) {
                    continue;
                }
                entryHost = entry.substring(0, colon);
            }
            String suffix = entryHost.startsWith(".") ? entryHost.substring(1) : entryHost;
            if (host.equals(suffix) || host.endsWith("." + suffix)) {
                return true;
            }
        }
        return false;
    }

    /** The variable's value and the name it was found under, lower case first. */
    private static Map.Entry<String, String> variable(Map<String, String> environment, String lowerName) {
        for (String name : List.of(lowerName, lowerName.toUpperCase(Locale.ROOT))) {
            String value = environment.get(name);
            if (value != null && !value.isBlank()) {
                return Map.entry(name, value.trim());
            }
        }
        return null;
    }

    /**
     * Splits the URL by hand rather than with {@link URI}: the user-info ends at the last {@code @}
     * of the authority, as Go (and so Docker) reads it, and a password with an unencoded {@code #} or
     * {@code @} must neither leak into an error nor be taken for the host.
     */
    private static Route route(Map<String, String> environment, String lowerName) {
        Map.Entry<String, String> found = variable(environment, lowerName);
        if (found == null) {
            return null;
        }
        String name = found.getKey();
        String value = found.getValue();
        int schemeEnd = value.indexOf("://");
        String scheme = schemeEnd < 0 ? "http" : value.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        String rest = schemeEnd < 0 ? value : value.substring(schemeEnd + 3);
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        int at = authority.lastIndexOf('@');
        String hostPort = at < 0 ? authority : authority.substring(at + 1);
        ProxyCredentials credentials = at < 0 ? null : credentials(name, authority.substring(0, at));
        URI uri;
        try {
            uri = new URI("http://" + hostPort);
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null || !(scheme.equals("http") || scheme.equals("https"))) {
            // Never the value itself: it may hold a password.
            throw new IllegalArgumentException("invalid proxy address in " + name + ": expected http://[user:password@]host:port"
                    + (at < 0 ? "" : " (percent-encode @, :, / and % in the user and password, e.g. @ as %40)"));
        }
        int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        String host = uri.getHost();
        return new Route(name, new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(host, port)), host + ":" + port, credentials);
    }

    private static ProxyCredentials credentials(String variable, String userInfo) {
        int colon = userInfo.indexOf(':');
        String user = colon < 0 ? userInfo : userInfo.substring(0, colon);
        String password = colon < 0 ? "" : userInfo.substring(colon + 1);
        try {
            return new ProxyCredentials(URLDecoder.decode(user.replace("+", "%2B"), StandardCharsets.UTF_8),
                    URLDecoder.decode(password.replace("+", "%2B"), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid percent-encoding in the user or password of " + variable
                    + " (write % itself as %25)");
        }
    }

    @Override
    public String toString() {
        // Host and port only: a proxy URL may carry a password.
        return "ProxySelectorFromEnv[https=" + https + ", http=" + http + ", noProxy=" + noProxy + "]";
    }
}
