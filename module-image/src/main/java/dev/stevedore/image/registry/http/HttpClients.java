package dev.stevedore.image.registry.http;

import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLParameters;

/** Builds the one HttpClient a registry configuration uses. */
public final class HttpClients {

    private HttpClients() {
    }

    /**
     * HTTP/1.1 always: plain-HTTP registries otherwise get an {@code Upgrade: h2c} some reject, and
     * over TLS parallel blob transfers then each get their own TCP connection instead of sharing one
     * HTTP/2 connection's flow-control window (HTTP/2 measured no faster over TLS on loopback:
     * BENCHMARKS.md). Redirects are never followed by the JDK: it would forward {@code Authorization}
     * to another host.
     */
    public static HttpClient create(TransportConfig config, Duration connectTimeout, Map<String, String> environment)
            throws IOException {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connectTimeout);
        ProxySelectorFromEnv.fromEnvironment(environment).ifPresent(builder::proxy);
        if (!config.plainHttp()) {
            builder.sslContext(TlsContexts.create(config));
            if (config.skipTlsVerify()) {
                // Belt and braces with the trust-all manager: no host name check for this client only.
                SSLParameters parameters = new SSLParameters();
                parameters.setEndpointIdentificationAlgorithm(null);
                builder.sslParameters(parameters);
            }
        }
        return builder.build();
    }
}
