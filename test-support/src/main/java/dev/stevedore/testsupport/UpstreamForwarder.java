package dev.stevedore.testsupport;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * Passes one request a front server received ({@link com.sun.net.httpserver.HttpServer}) on to the
 * real server behind it and streams the answer back, bodies never held whole: what a reverse proxy such
 * as Harbor's core does in front of its registry. {@code Location} headers naming the upstream are
 * rewritten to the front, so uploads keep going through it; redirects are passed on, not followed.
 */
final class UpstreamForwarder {

    /** Hop-by-hop headers, and those the JDK client sets itself. */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "content-length", "expect", "host", "keep-alive",
            "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade");

    private final URI upstream;
    private final HttpClient client;

    UpstreamForwarder(URI upstream) {
        this.upstream = upstream;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /**
     * Forwards the exchange and answers it.
     *
     * @param beforeHead told the upstream's status once it answered, just before the head goes to the client; what it
     *                   returns is added to the head
     * @return the status the client got (502 when the upstream could not be reached)
     */
    int forward(HttpExchange exchange, String frontOrigin, IntFunction<Map<String, String>> beforeHead) throws IOException {
        String method = exchange.getRequestMethod();
        URI target = URI.create(upstream.toString().replaceAll("/+$", "") + exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()));
        HttpRequest.Builder request = HttpRequest.newBuilder(target).method(method, body(exchange));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
            }
        });
        HttpResponse<InputStream> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while forwarding", e);
        } catch (IOException unreachable) {
            beforeHead.apply(502);
            exchange.sendResponseHeaders(502, -1);
            return 502;
        }
        response.headers().map().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (NOT_FORWARDED.contains(lower) || lower.equals(":status") || lower.equals("date")) {
                return;
            }
            List<String> shown = lower.equals("location") ? values.stream().map(v -> rewrite(v, frontOrigin)).toList() : values;
            exchange.getResponseHeaders().put(name, shown);
        });
        int status = response.statusCode();
        beforeHead.apply(status).forEach(exchange.getResponseHeaders()::set);
        long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        try (InputStream in = response.body()) {
            if (method.equals("HEAD") || status == 204 || status == 304) {
                if (length >= 0 && method.equals("HEAD")) {
                    exchange.getResponseHeaders().set("Content-Length", Long.toString(length));
                }
                exchange.sendResponseHeaders(status, -1);
                return status;
            }
            exchange.sendResponseHeaders(status, length == 0 ? -1 : length < 0 ? 0 : length);
            if (length != 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    in.transferTo(out);
                }
            }
        }
        return status;
    }

    private static HttpRequest.BodyPublisher body(HttpExchange exchange) {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        String encoding = String.valueOf(exchange.getRequestHeaders().getFirst("Transfer-Encoding"));
        boolean chunked = encoding.toLowerCase(Locale.ROOT).contains("chunked");
        long length = declared == null ? (chunked ? -1 : 0) : Long.parseLong(declared.trim());
        if (length == 0) {
            return HttpRequest.BodyPublishers.noBody();
        }
        HttpRequest.BodyPublisher stream = HttpRequest.BodyPublishers.ofInputStream(exchange::getRequestBody);
        return length < 0 ? stream : HttpRequest.BodyPublishers.fromPublisher(stream, length);
    }

    private String rewrite(String location, String frontOrigin) {
        String origin = upstream.getScheme() + "://" + upstream.getRawAuthority();
        return location.startsWith(origin) ? frontOrigin + location.substring(origin.length()) : location;
    }
}
