package dev.stevedore.image.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Walks a real registry over plain HTTP, independently of Stevedore's client: catalog, then every tag,
 * then the manifest or index it points at, its child manifests and their blobs. A tag whose content is
 * missing, truncated or not what its digest says is a problem: exactly what a push must never leave.
 */
final class RegistryContentChecker {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACCEPT = String.join(", ", "application/vnd.oci.image.index.v1+json",
            "application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.docker.distribution.manifest.v2+json");

    /** The {@code Authorization} header for a token scope, or empty for anonymous access. */
    @FunctionalInterface
    interface Authorization {
        Optional<String> forScope(String scope) throws IOException, InterruptedException;

        Authorization ANONYMOUS = scope -> Optional.empty();
    }

    /** What a walk found: tags seen and problems (empty means every tag points at complete content). */
    record Report(int tags, List<String> problems) {
        boolean consistent() {
            return problems.isEmpty();
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).proxy(HttpClient.Builder.NO_PROXY).build();
    private final URI base;
    private final Authorization authorization;

    RegistryContentChecker(URI base, Authorization authorization) {
        this.base = base;
        this.authorization = authorization;
    }

    /** Bearer tokens for {@code user} from a Docker token server at {@code realm}. */
    static Authorization bearer(URI realm, String service, String user, String password) {
        HttpClient client = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
        String basic = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        Map<String, Optional<String>> cache = new ConcurrentHashMap<>();
        return scope -> {
            Optional<String> cached = cache.get(scope);
            if (cached != null) {
                return cached;
            }
            URI uri = URI.create(realm + "?service=" + URLEncoder.encode(service, StandardCharsets.UTF_8) + "&scope="
                    + URLEncoder.encode(scope, StandardCharsets.UTF_8));
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).header("Authorization", basic).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("token server answered " + response.statusCode() + " for " + scope);
            }
            Optional<String> header = Optional.of("Bearer " + JSON.readTree(response.body()).path("token").asText());
            cache.put(scope, header);
            return header;
        };
    }

    Report checkAll() throws IOException, InterruptedException {
        HttpResponse<byte[]> catalog = get("/v2/_catalog?n=1000", "registry:catalog:*", "application/json");
        if (catalog.statusCode() != 200) {
            return new Report(0, List.of("catalog answered " + catalog.statusCode()));
        }
        List<String> problems = new ArrayList<>();
        int tags = 0;
        for (JsonNode repository : JSON.readTree(catalog.body()).path("repositories")) {
            Report report = checkRepository(repository.asText());
            tags += report.tags();
            problems.addAll(report.problems());
        }
        return new Report(tags, List.copyOf(problems));
    }

    Report checkRepository(String repository) throws IOException, InterruptedException {
        String scope = "repository:" + repository + ":pull";
        HttpResponse<byte[]> list = get("/v2/" + repository + "/tags/list", scope, "application/json");
        if (list.statusCode() == 404) {
            return new Report(0, List.of());
        }
        if (list.statusCode() != 200) {
            return new Report(0, List.of(repository + ": tags/list answered " + list.statusCode()));
        }
        List<String> problems = new ArrayList<>();
        int count = 0;
        for (JsonNode tag : JSON.readTree(list.body()).path("tags")) {
            count++;
            checkManifest(repository, tag.asText(), null, scope, problems);
        }
        return new Report(count, List.copyOf(problems));
    }

    private void checkManifest(String repository, String reference, String expectedDigest, String scope, List<String> problems)
            throws IOException, InterruptedException {
        String where = repository + ":" + reference;
        HttpResponse<byte[]> response = get("/v2/" + repository + "/manifests/" + reference, scope, ACCEPT);
        if (response.statusCode() != 200) {
            problems.add(where + " points at a manifest the registry answers " + response.statusCode() + " for");
            return;
        }
        String digest = sha256(response.body());
        if (expectedDigest != null && !expectedDigest.equals(digest)) {
            problems.add(where + " has digest " + digest);
            return;
        }
        JsonNode json = JSON.readTree(response.body());
        if (json.has("manifests")) {
            for (JsonNode child : json.get("manifests")) {
                checkManifest(repository, child.path("digest").asText(), child.path("digest").asText(), scope, problems);
            }
            return;
        }
        List<JsonNode> blobs = new ArrayList<>();
        blobs.add(json.path("config"));
        json.path("layers").forEach(blobs::add);
        for (JsonNode blob : blobs) {
            checkBlob(repository, where, blob.path("digest").asText(), blob.path("size").asLong(), scope, problems);
        }
    }

    private void checkBlob(String repository, String where, String digest, long size, String scope, List<String> problems)
            throws IOException, InterruptedException {
        HttpRequest.Builder head = HttpRequest.newBuilder(base.resolve("/v2/" + repository + "/blobs/" + digest))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10));
        Optional<String> auth = authorization.forScope(scope);
        auth.ifPresent(value -> head.header("Authorization", value));
        HttpResponse<Void> response = http.send(head.build(), HttpResponse.BodyHandlers.discarding());
        long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (response.statusCode() != 200) {
            problems.add(where + " refers to blob " + digest + " which answers " + response.statusCode());
        } else if (length != size) {
            problems.add(where + " refers to blob " + digest + " of " + size + " bytes, the registry has " + length);
        }
    }

    private HttpResponse<byte[]> get(String path, String scope, String accept) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).header("Accept", accept).timeout(Duration.ofSeconds(10));
        Optional<String> auth = authorization.forScope(scope);
        auth.ifPresent(value -> request.header("Authorization", value));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String sha256(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
