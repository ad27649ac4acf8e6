package dev.stevedore.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * A front with Docker Hub's pull limits, in front of the real registry ({@link UpstreamForwarder}). With
 * {@link #pullLimit} it does what Docker's documentation says ("Docker Hub pull usage and limits",
 * docs.docker.com/docker-hub/usage/pulls):
 * <ul>
 *   <li>answers to manifest requests, GET and HEAD, carry {@code RateLimit-Limit: <limit>;w=<seconds>},
 *       {@code RateLimit-Remaining: <left>;w=<seconds>} and {@code docker-ratelimit-source};</li>
 *   <li>each GET of a manifest is a pull and is counted; a HEAD (a version check) is not;</li>
 *   <li>a manifest GET with no pull left is answered 429 with the body Docker documents,
 *       {@code TOOMANYREQUESTS} "You have reached your pull rate limit. You may increase the limit by
 *       authenticating and upgrading: https://www.docker.com/increase-rate-limit", and the headers showing 0 left.</li>
 * </ul>
 * With {@link #atMostInFlight} it stands in for a request-rate limit (Docker Hub's abuse limit, a cloud
 * registry's request quota) without timing: a request arriving while that many others still wait for
 * their answer is refused with 429 {@code TOOMANYREQUESTS} "Too Many Requests", and each request let
 * through is held a moment first, so that a client's concurrent requests do overlap.
 */
public final class PullLimitFront implements AutoCloseable {

    /** One request, with how many others were awaiting their answer when it arrived. */
    public record Exchange(String method, String path, int status, int inFlightOnArrival) { }

    static final String PULL_LIMIT_MESSAGE = "You have reached your pull rate limit. You may increase the limit by authenticating"
            + " and upgrading: https://www.docker.com/increase-rate-limit";
    private static final Pattern MANIFEST = Pattern.compile("/v2/.+/manifests/[^/]+");

    private final HttpServer server;
    private final ExecutorService executor;
    private final UpstreamForwarder registry;
    private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
    private int limit = -1;
    private int remaining;
    private Duration window = Duration.ZERO;
    private int allowedInFlight = Integer.MAX_VALUE;
    private Duration hold = Duration.ZERO;
    private int inFlight;
    private int maxInFlight;

    private PullLimitFront(HttpServer server, URI registry) {
        this.server = server;
        this.registry = new UpstreamForwarder(registry);
        this.executor = TestServerThreads.serve(server, "pull-limit-front", this::handle);
    }

    /** Plain HTTP on 127.0.0.1 in front of {@code registry}, with no limit until one is set. */
    public static PullLimitFront start(URI registry) throws IOException {
        return new PullLimitFront(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50), registry);
    }

    /** Docker Hub's pull budget: {@code limit} per {@code window}, of which {@code left} remain. */
    public synchronized PullLimitFront pullLimit(int pulls, int left, Duration per) {
        this.limit = pulls;
        this.remaining = left;
        this.window = per;
        return this;
    }

    /** At most {@code requests} awaiting their answer at once; each request let through is held {@code holding} first. */
    public synchronized PullLimitFront atMostInFlight(int requests, Duration holding) {
        this.allowedInFlight = requests;
        this.hold = holding;
        return this;
    }

    public String hostPort() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    public URI baseUri() {
        return URI.create("http://" + hostPort());
    }

    public synchronized int remaining() {
        return remaining;
    }

    /** The most requests that ever awaited their answer at once. */
    public synchronized int maxInFlight() {
        return maxInFlight;
    }

    /** Every request so far, oldest first. */
    public List<Exchange> exchanges() {
        return List.copyOf(exchanges);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            boolean manifest = MANIFEST.matcher(path).matches();
            int before;
            synchronized (this) {
                before = inFlight++;
                maxInFlight = Math.max(maxInFlight, inFlight);
            }
            AtomicBoolean answered = new AtomicBoolean();
            Runnable answer = () -> {
                if (answered.compareAndSet(false, true)) {
                    synchronized (this) {
                        inFlight--;
                    }
                }
            };
            try {
                int status = answer(exchange, method, manifest, before, answer);
                exchanges.add(new Exchange(method, path, status, before));
            } finally {
                answer.run();
            }
        }
    }

    private int answer(HttpExchange exchange, String method, boolean manifest, int before, Runnable answered) throws IOException {
        Map<String, String> budget;
        String refusal = null;
        synchronized (this) {
            if (before >= allowedInFlight) {
                refusal = "Too Many Requests";
            } else if (limit >= 0 && manifest && method.equals("GET")) {
                if (remaining == 0) {
                    refusal = PULL_LIMIT_MESSAGE;
                } else {
                    remaining--;
                }
            }
            budget = limit >= 0 && manifest ? headers() : Map.of();
        }
        if (refusal != null) {
            answered.run();
            return refuse(exchange, refusal.equals(PULL_LIMIT_MESSAGE) ? budget : Map.of(), refusal);
        }
        sleep(hold);
        return registry.forward(exchange, baseUri().toString(), status -> {
            answered.run();
            return budget;
        });
    }

    private Map<String, String> headers() {
        String w = ";w=" + window.toSeconds();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("RateLimit-Limit", limit + w);
        headers.put("RateLimit-Remaining", remaining + w);
        headers.put("docker-ratelimit-source", "127.0.0.1");
        return headers;
    }

    private static int refuse(HttpExchange exchange, Map<String, String> headers, String message) throws IOException {
        exchange.getRequestBody().readAllBytes();
        byte[] body = ("{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":" + Json.string(message) + "}]}")
                .getBytes(StandardCharsets.UTF_8);
        headers.forEach(exchange.getResponseHeaders()::set);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(429, -1);
            return 429;
        }
        exchange.sendResponseHeaders(429, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
        return 429;
    }

    private static void sleep(Duration duration) throws IOException {
        if (duration.isZero()) {
            return;
        }
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        return "PullLimitFront[" + baseUri() + "]";
    }
}
