package dev.stevedore.image.registry.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Chooses a proxy from {@code HTTPS_PROXY}, {@code HTTP_PROXY} and {@code NO_PROXY} (lower case
 * first, as curl does), which the JDK's HttpClient ignores unless told. {@code NO_PROXY} holds comma
 * separated hosts, {@code .domain} or {@code domain} suffixes (both match sub-domains), {@code host:port},
 * or {@code *}. Proxy credentials in the URL are not supported (the JDK does not send them on CONNECT).
 */
public final class ProxySelectorFromEnv extends ProxySelector {

    private final Proxy httpsProxy;
    private final Proxy httpProxy;
    private final List<String> noProxy;

    private ProxySelectorFromEnv(Proxy httpsProxy, Proxy httpProxy, List<String> noProxy) {
        this.httpsProxy = httpsProxy;
        this.httpProxy = httpProxy;
        this.noProxy = noProxy;
    }

    /** A selector for the given environment, or empty when it names no proxy. */
    public static Optional<ProxySelector> fromEnvironment(Map<String, String> environment) {
        Proxy https = proxy(variable(environment, "https_proxy"));
        Proxy http = proxy(variable(environment, "http_proxy"));
        if (https == null && http == null) {
            return Optional.empty();
        }
        List<String> noProxy = new ArrayList<>();
        String list = variable(environment, "no_proxy");
        if (list != null) {
            for (String entry : list.split(",")) {
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
        Proxy proxy = "https".equalsIgnoreCase(uri.getScheme()) ? httpsProxy : httpProxy;
        if (proxy == null || bypasses(uri)) {
            return List.of(Proxy.NO_PROXY);
        }
        return List.of(proxy);
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

    private static String variable(Map<String, String> environment, String lowerName) {
        String value = environment.get(lowerName);
        if (value == null || value.isBlank()) {
            value = environment.get(lowerName.toUpperCase(Locale.ROOT));
        }
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static Proxy proxy(String value) {
        if (value == null) {
            return null;
        }
        URI uri = URI.create(value.contains("://") ? value : "http://" + value);
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("invalid proxy address in the environment: " + uri.getScheme() + "://...");
        }
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        return new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(uri.getHost(), port));
    }

    @Override
    public String toString() {
        // Host and port only: a proxy URL may carry a password.
        return "ProxySelectorFromEnv[https=" + httpsProxy + ", http=" + httpProxy + ", noProxy=" + noProxy + "]";
    }
}
