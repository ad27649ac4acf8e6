package dev.stevedore.image.registry.http;

import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLParameters;

/** Builds the one HttpClient a registry configuration uses, and stops it when the task is done. */
public final class HttpClients {

    /** How long {@link #shutDown} waits for the selector thread to close the connections and end. */
    private static final long SHUTDOWN_WAIT_MILLIS = 1_000;

    private HttpClients() {
    }

    /**
     * HTTP/1.1 always: plain-HTTP registries otherwise get an {@code Upgrade: h2c} some reject, and
     * over TLS parallel blob transfers then each get their own TCP connection instead of sharing one
     * HTTP/2 connection's flow-control window (HTTP/2 measured slower over TLS, on loopback and through
     * the WAN link: BENCHMARKS.md, lever 5). Redirects are never followed by the JDK: it would forward
     * {@code Authorization} to another host. Through a proxy, the client is a {@link ProxyAuthorizingClient}.
     */
    public static HttpClient create(TransportConfig config, Duration connectTimeout, Map<String, String> environment)
            throws IOException {
        Optional<ProxySelectorFromEnv> proxies = ProxySelectorFromEnv.fromEnvironment(environment);
        // Before the builder: the JDK reads the tunneling property when its client classes are first used.
        boolean basicOnTunnels = TunnelingBasicAuth.beforeBuild(proxies.map(ProxySelectorFromEnv::hasCredentials).orElse(false));
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connectTimeout);
        proxies.ifPresent(builder::proxy);
        if (!config.plainHttp()) {
            builder.sslContext(TlsContexts.create(config));
            if (config.skipTlsVerify()) {
                // Belt and braces with the trust-all manager: no host name check for this client only.
                SSLParameters parameters = new SSLParameters();
                parameters.setEndpointIdentificationAlgorithm(null);
                builder.sslParameters(parameters);
            }
        }
        HttpClient client = builder.build();
        return proxies.isEmpty() ? client : new ProxyAuthorizingClient(client, proxies.get(), basicOnTunnels);
    }

    /**
     * Stops the client's selector thread and closes its pooled connections; the client is unusable
     * afterwards. Java 17's HttpClient has no close, and its selector thread waits in {@code epoll_wait}:
     * a JVM exits only after waiting 300 ms for threads in native code, so without this every run ended
     * 0.3 s after its last request (BENCHMARKS.md). The JDK's selector loop ends when interrupted; the
     * thread is found by the name the JDK gives it, from the id in the client's {@code toString} (what
     * the JDK's own tests do; the same name and loop on JDK 25). If a future JDK names it otherwise,
     * nothing happens but the wait at exit.
     */
    public static void shutDown(HttpClient client) {
        if (client instanceof ProxyAuthorizingClient proxied) {
            client = proxied.delegate();
        }
        Thread selector = selectorThread(client);
        if (selector == null) {
            return;
        }
        selector.interrupt();
        try {
            selector.join(SHUTDOWN_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The thread named {@code HttpClient-<id>-SelectorManager}, or null. */
    static Thread selectorThread(HttpClient client) {
        String text = client.toString();
        int open = text.lastIndexOf('(');
        if (open < 0 || !text.endsWith(")")) {
            return null;
        }
        String name = "HttpClient-" + text.substring(open + 1, text.length() - 1) + "-SelectorManager";
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 16];
        int count = root.enumerate(threads, true);
        for (int i = 0; i < count; i++) {
            if (threads[i].getName().equals(name)) {
                return threads[i];
            }
        }
        return null;
    }
}
