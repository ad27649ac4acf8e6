package dev.stevedore.image.registry;

import dev.stevedore.image.registry.http.ProxyRefusedException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import javax.net.ssl.SSLHandshakeException;

/**
 * Chooses the scheme of a registry marked insecure ({@code skip_tls_verify}, {@code insecure}): HTTPS
 * when it speaks TLS, else plain HTTP when that answers, as Docker does for its insecure registries and
 * skopeo for {@code --tls-verify=false}. One {@code GET /v2/} decides, before the registry's first
 * request. Registries that are verified never get here, so a network that strips TLS cannot talk
 * them down to plain HTTP.
 */
final class InsecureFallback {

    private InsecureFallback() {
    }

    /**
     * @param client  the registry's client (trusting any certificate, with the task's proxy)
     * @param apiHost host[:port] requests go to
     * @return {@code https://apiHost}, or {@code http://apiHost} when TLS failed there and plain HTTP answered
     */
    static URI origin(HttpClient client, String apiHost, Duration timeout) throws InterruptedIOException {
        URI https = URI.create("https://" + apiHost);
        try {
            answers(client, https, timeout);
            return https;
        } catch (InterruptedIOException e) {
            throw e;
        } catch (SSLHandshakeException | HttpTimeoutException | ProxyRefusedException speaksTlsOrCannotTell) {
            // A handshake that fails (a client certificate wanted, no common cipher) still means TLS is spoken; a slow
            // registry or a refusing proxy is no reason to drop TLS. The registry's requests then say what is wrong.
            return https;
        } catch (IOException noTls) {
            // "Unsupported or unrecognized SSL message" from an HTTP server, or nothing listening for HTTPS: try HTTP.
        }
        URI http = URI.create("http://" + apiHost);
        try {
            answers(client, http, timeout);
            return http;
        } catch (InterruptedIOException e) {
            throw e;
        } catch (IOException neither) {
            // Neither answers: keep HTTPS, so that the registry's requests fail with the HTTPS error and its remedy.
            return https;
        }
    }

    /** Any HTTP answer, whatever its status (a 401 is an answer), means the scheme works. */
    private static void answers(HttpClient client, URI origin, Duration timeout) throws IOException {
        HttpRequest ping = HttpRequest.newBuilder(origin.resolve("/v2/")).timeout(timeout).GET().build();
        try {
            client.send(ping, HttpResponse.BodyHandlers.discarding());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while finding out whether registry " + origin.getAuthority() + " speaks TLS");
        }
    }
}
