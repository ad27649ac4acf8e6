package dev.stevedore.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A registry with the referrers API of distribution-spec 1.1 in front of a real one (a plain-HTTP
 * {@link RegistryServer}, which has none: the CNCF registry 2.8). Every request is passed on unchanged
 * (upload {@code Location}s rewritten to this server) except what the spec adds:
 * <ul>
 *   <li>"Pushing Manifests with Subject": a manifest {@code PUT} the registry accepts whose body has a
 *       {@code subject} is recorded for its subject's digest, and the answer carries
 *       {@code OCI-Subject: <subject digest>}, telling the client it need not update the tag schema;</li>
 *   <li>"Listing Referrers": {@code GET /v2/<name>/referrers/<digest>} answers 200 with an
 *       {@code application/vnd.oci.image.index.v1+json} whose {@code manifests} are the recorded
 *       descriptors, each with {@code artifactType} (the manifest's, else its config's media type) and its
 *       {@code annotations}; an empty list when nothing refers to the digest (the spec forbids a 404 from a
 *       registry with the API).</li>
 * </ul>
 * With {@link #paginate(int)}, a listing holds at most that many descriptors and names the next page in a
 * {@code Link: <url>; rel="next"} header, as the spec allows a registry to ({@code last} is this server's
 * own cursor: the spec leaves the URL to the registry). Not modelled: the {@code artifactType} filter and
 * {@code OCI-Filters-Applied}, deletes removing referrers, and manifests pushed before this server started.
 * Referrers live in memory.
 */
public final class ReferrersApiServer implements AutoCloseable {

    private static final Pattern REFERRERS = Pattern.compile("/v2/(.+)/referrers/(sha256:[a-f0-9]{64})");
    private static final Pattern MANIFEST = Pattern.compile("/v2/(.+)/manifests/([^/]+)");
    private static final Set<String> RESTRICTED = Set.of("host", "connection", "content-length", "expect", "upgrade",
            "transfer-encoding", "keep-alive");

    private final HttpServer server;
    private final ExecutorService executor;
    private final URI upstream;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** name + "@" + subject digest to the JSON descriptors of its referrers, in push order. */
    private final Map<String, List<String>> referrers = new ConcurrentHashMap<>();
    private final List<String> listed = new CopyOnWriteArrayList<>();
    private volatile int pageSize = Integer.MAX_VALUE;

    private ReferrersApiServer(HttpServer server, URI upstream) {
        this.server = server;
        this.upstream = upstream;
        this.executor = TestServerThreads.serve(server, "referrers-api", this::handle);
    }

    /** Plain HTTP on 127.0.0.1 in front of {@code upstream} (its {@code http://host:port}). */
    public static ReferrersApiServer start(URI upstream) throws IOException {
        return new ReferrersApiServer(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50), upstream);
    }

    public String hostPort() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    public URI baseUri() {
        return URI.create("http://" + hostPort());
    }

    /** The digests recorded as referring to {@code subject} in repository {@code name}, in push order. */
    public List<String> referrersOf(String name, String subject) {
        return referrers.getOrDefault(name + "@" + subject, List.of()).stream()
                .map(descriptor -> ((Map<?, ?>) JsonReader.parse(descriptor)).get("digest").toString()).toList();
    }

    /** Lists at most {@code size} referrers per answer from now on, the rest on pages named by {@code Link}. */
    public ReferrersApiServer paginate(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("a page holds at least one referrer, got " + size);
        }
        pageSize = size;
        return this;
    }

    /** Every {@code name@digest} a client asked the referrers API about, oldest first. */
    public List<String> listings() {
        return List.copyOf(listed);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getRawPath();
            Matcher listing = REFERRERS.matcher(path);
            if (exchange.getRequestMethod().equals("GET") && listing.matches()) {
                list(exchange, listing.group(1), listing.group(2), exchange.getRequestURI().getRawQuery());
                return;
            }
            forward(exchange, body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.sendResponseHeaders(502, -1);
        }
    }

    private void list(HttpExchange exchange, String name, String subject, String query) throws IOException {
        listed.add(name + "@" + subject);
        List<String> all = referrers.getOrDefault(name + "@" + subject, List.of());
        int from = query != null && query.startsWith("last=") ? Integer.parseInt(query.substring("last=".length())) : 0;
        int to = (int) Math.min(all.size(), (long) from + pageSize);
        if (to < all.size()) {
            exchange.getResponseHeaders().set("Link", "</v2/" + name + "/referrers/" + subject + "?last=" + to + ">; rel=\"next\"");
        }
        String index = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":["
                + String.join(",", all.subList(Math.min(from, all.size()), to)) + "]}";
        byte[] bytes = index.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/vnd.oci.image.index.v1+json");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private void forward(HttpExchange exchange, byte[] body) throws IOException, InterruptedException {
        String method = exchange.getRequestMethod();
        URI target = URI.create(upstream.toString().replaceAll("/+$", "") + exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()));
        HttpRequest.Builder request = HttpRequest.newBuilder(target)
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((header, values) -> {
            if (!RESTRICTED.contains(header.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> request.header(header, value));
            }
        });
        HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        String upstreamOrigin = upstream.toString().replaceAll("/+$", "");
        response.headers().map().forEach((header, values) -> {
            if (!RESTRICTED.contains(header.toLowerCase(Locale.ROOT)) && !header.equals(":status")) {
                values.forEach(value -> exchange.getResponseHeaders().add(header,
                        header.equalsIgnoreCase("Location") ? value.replace(upstreamOrigin, baseUri().toString()) : value));
            }
        });
        Matcher manifest = MANIFEST.matcher(exchange.getRequestURI().getRawPath());
        if (method.equals("PUT") && manifest.matches() && response.statusCode() == 201) {
            String subject = record(manifest.group(1), exchange.getRequestHeaders().getFirst("Content-Type"), body);
            if (subject != null) {
                exchange.getResponseHeaders().set("OCI-Subject", subject);
            }
        }
        byte[] answer = response.body();
        if (method.equals("HEAD")) {
            response.headers().firstValue("Content-Length").ifPresent(length -> exchange.getResponseHeaders().set("Content-Length", length));
            exchange.sendResponseHeaders(response.statusCode(), -1);
            return;
        }
        exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
        if (answer.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        }
    }

    /** Records a pushed manifest under its subject; returns the subject's digest, or null when it has none. */
    private String record(String name, String contentType, byte[] body) {
        Map<?, ?> document;
        try {
            document = (Map<?, ?>) JsonReader.parse(new String(body, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            return null; // the registry accepted it; not ours to judge
        }
        if (!(document.get("subject") instanceof Map<?, ?> subject) || !(subject.get("digest") instanceof String digest)) {
            return null;
        }
        Object artifactType = document.get("artifactType");
        if (artifactType == null && document.get("config") instanceof Map<?, ?> config) {
            artifactType = config.get("mediaType");
        }
        StringBuilder descriptor = new StringBuilder("{\"mediaType\":").append(Json.string(contentType))
                .append(",\"digest\":").append(Json.string("sha256:" + sha256(body)))
                .append(",\"size\":").append(body.length);
        if (artifactType instanceof String type) {
            descriptor.append(",\"artifactType\":").append(Json.string(type));
        }
        if (document.get("annotations") instanceof Map<?, ?> annotations && !annotations.isEmpty()) {
            descriptor.append(",\"annotations\":{").append(annotations.entrySet().stream()
                    .map(e -> Json.string(e.getKey().toString()) + ":" + Json.string(String.valueOf(e.getValue())))
                    .collect(Collectors.joining(","))).append('}');
        }
        descriptor.append('}');
        List<String> list = referrers.computeIfAbsent(name + "@" + digest, key -> new CopyOnWriteArrayList<>());
        String entry = descriptor.toString();
        if (!list.contains(entry)) {
            list.add(entry);
        }
        return digest;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        return "ReferrersApiServer[" + baseUri() + " -> " + upstream + "]";
    }
}
