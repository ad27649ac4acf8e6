package dev.stevedore.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import javax.net.ssl.SSLContext;

/**
 * A registry front shaped like registry.k8s.io: it holds no images and answers every request for a
 * repository ({@code /v2/<name>/...}) with {@code 307 Temporary Redirect} to a backing registry that
 * keeps the images under a path prefix, {@code <upstream>/v2/<prefix>/<name>/...} with the query kept.
 * That is what registry.k8s.io's redirector (archeio) does, sending clients to Artifact Registry's
 * {@code k8s-artifacts-prod/images/...}; the base {@code /v2/} it answers itself with {@code 200 {}}.
 * It never challenges, so a client must send it nothing; it records each request's
 * {@code Authorization} header so tests can prove that.
 */
public final class PrefixRedirector implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;
    private final URI upstream;
    private final String prefix;
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();

    private PrefixRedirector(HttpServer server, URI upstream, String prefix) {
        this.server = server;
        this.upstream = upstream;
        this.prefix = prefix.replaceAll("^/+|/+$", "");
        this.executor = TestServerThreads.serve(server, "prefix-redirector", this::handle);
    }

    /** Plain HTTP on 127.0.0.1, redirecting to {@code upstream} (its {@code scheme://host:port}). */
    public static PrefixRedirector start(URI upstream, String prefix) throws IOException {
        return new PrefixRedirector(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50), upstream, prefix);
    }

    /** HTTPS on 127.0.0.1 with {@code serverTls} (see {@link TestCertificates#serverContext()}). */
    public static PrefixRedirector startTls(URI upstream, String prefix, SSLContext serverTls) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setHttpsConfigurator(new HttpsConfigurator(serverTls));
        return new PrefixRedirector(server, upstream, prefix);
    }

    public String hostPort() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    public URI baseUri() {
        return URI.create((server instanceof HttpsServer ? "https://" : "http://") + hostPort());
    }

    /** Every request so far, oldest first, with the Authorization it carried. */
    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (path.equals("/v2/") || path.equals("/v2")) {
                requests.add(new RecordedRequest(exchange.getRequestMethod(), path, authorization, 200));
                byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.getResponseHeaders().set("Docker-Distribution-API-Version", "registry/2.0");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
                return;
            }
            if (!path.startsWith("/v2/")) {
                requests.add(new RecordedRequest(exchange.getRequestMethod(), path, authorization, 404));
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            String location = upstream.toString().replaceAll("/+$", "") + "/v2/" + prefix + "/" + path.substring("/v2/".length())
                    + (query == null ? "" : "?" + query);
            requests.add(new RecordedRequest(exchange.getRequestMethod(), path, authorization, 307));
            exchange.getResponseHeaders().set("Location", location);
            exchange.sendResponseHeaders(307, -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        return "PrefixRedirector[" + baseUri() + " -> " + upstream + "/v2/" + prefix + "/]";
    }
}
