import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The least a client on the JDK's HTTP client does to pull or push the benchmark's images, for the
 * floor in BENCHMARKS.md: the requests Stevedore sends (manifests; each blob once, HEAD then POST and
 * PUT, or a mount into the other repositories), 8 at a time, pulled blobs hashed while written and
 * fsynced before their rename, and nothing else: no playbook, arguments, templates, stores, retries,
 * resumes, progress or results. Plain HTTP, or with {@code -Dminimal.tls=insecure} HTTPS trusting any
 * certificate, as Stevedore's {@code insecure: true} and skopeo's {@code --tls-verify=false} do (W4: the
 * JDK's TLS with nothing around it); manifests are read with regular expressions that fit the benchmark's
 * images and nothing more.
 *
 *   java MinimalClient.java pull HOST:PORT DIR TAG...   images bench/TAG:TAG into DIR/sha256/
 *   java MinimalClient.java push DIR HOST:PORT TAG...   from the OCI layout DIR (what skopeo wrote)
 */
public final class MinimalClient {

    private static final int CONCURRENCY = 8;
    private static final String ACCEPT = "application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json";
    private static final Pattern DESCRIPTOR =
            Pattern.compile("\"mediaType\"\\s*:\\s*\"([^\"]+)\"\\s*,\\s*\"digest\"\\s*:\\s*\"(sha256:[0-9a-f]{64})\"\\s*,\\s*\"size\"\\s*:\\s*(\\d+)");
    private static final Pattern MEDIA_TYPE = Pattern.compile("\"mediaType\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern TAGGED = Pattern.compile(
            "\"digest\"\\s*:\\s*\"(sha256:[0-9a-f]{64})\"[^{}]*\"annotations\"\\s*:\\s*\\{[^{}]*\"org\\.opencontainers\\.image\\.ref\\.name\"\\s*:\\s*\"([^\"]+)\"");

    private static final boolean TLS = "insecure".equals(System.getProperty("minimal.tls"));

    private final HttpClient http = client();
    private final ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);

    public static void main(String[] args) throws Exception {
        MinimalClient client = new MinimalClient();
        List<String> tags = List.of(args).subList(3, args.length);
        try {
            switch (args[0]) {
                case "pull" -> client.pull(SCHEME + args[1], Path.of(args[2]), tags);
                case "push" -> client.push(Path.of(args[1]), SCHEME + args[2], tags);
                default -> throw new IllegalArgumentException("pull or push, not " + args[0]);
            }
        } finally {
            client.pool.shutdownNow();
        }
        // Java 17's HttpClient cannot be closed; without this its selector thread delays the exit by 0.3 s.
        Runtime.getRuntime().halt(0);
    }

    private static final String SCHEME = TLS ? "https://" : "http://";

    private static HttpClient client() {
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1);
        if (TLS) {
            try {
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, new TrustManager[] {new TrustingEveryone()}, null);
                builder.sslContext(context);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
        return builder.build();
    }

    /** Checks nothing, hostname included, as the two tools it is measured beside do here. */
    private static final class TrustingEveryone extends X509ExtendedTrustManager {
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) { }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) { }
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType) { }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType) { }
        @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
    }

    private record Blob(String repository, String digest, long size) { }

    private void pull(String registry, Path dir, List<String> tags) throws Exception {
        Files.createDirectories(dir.resolve("sha256"));
        Map<String, Blob> blobs = new LinkedHashMap<>();
        for (List<Blob> found : all(tags.stream().map(tag -> pool.submit(() -> manifests(registry, dir, tag))).toList())) {
            found.forEach(blob -> blobs.putIfAbsent(blob.digest(), blob));
        }
        all(blobs.values().stream().map(blob -> pool.submit(() -> download(registry, dir, blob))).toList());
    }

    /** The tag's manifest and its children's, stored; the blobs they name. */
    private List<Blob> manifests(String registry, Path dir, String tag) throws Exception {
        String repository = "bench/" + tag;
        List<Blob> blobs = new ArrayList<>();
        List<String> references = new ArrayList<>(List.of(tag));
        while (!references.isEmpty()) {
            String reference = references.remove(0);
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(
                    URI.create(registry + "/v2/" + repository + "/manifests/" + reference)).header("Accept", ACCEPT).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            expect(response, 200);
            byte[] body = response.body();
            String digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
            write(dir.resolve("sha256").resolve(digest.substring(7)), body);
            String json = new String(body, StandardCharsets.UTF_8);
            boolean index = json.contains("\"manifests\"");
            for (Matcher m = DESCRIPTOR.matcher(json); m.find(); ) {
                if (index) {
                    references.add(m.group(2));
                } else {
                    blobs.add(new Blob(repository, m.group(2), Long.parseLong(m.group(3))));
                }
            }
        }
        return blobs;
    }

    private Void download(String registry, Path dir, Blob blob) throws Exception {
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(
                URI.create(registry + "/v2/" + blob.repository() + "/blobs/" + blob.digest())).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        expect(response, 200);
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        Path target = dir.resolve("sha256").resolve(blob.digest().substring(7));
        Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        try (InputStream in = response.body();
             FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                     StandardOpenOption.TRUNCATE_EXISTING)) {
            byte[] buffer = new byte[256 * 1024];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                sha256.update(buffer, 0, n);
                ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
                while (chunk.hasRemaining()) {
                    out.write(chunk);
                }
            }
            out.force(true);
        }
        String actual = "sha256:" + HexFormat.of().formatHex(sha256.digest());
        if (!actual.equals(blob.digest())) {
            throw new IOException(blob.digest() + " arrived as " + actual);
        }
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        return null;
    }

    private void push(Path layout, String registry, List<String> tags) throws Exception {
        String index = Files.readString(layout.resolve("index.json"));
        Map<String, String> tagged = new LinkedHashMap<>();
        for (Matcher m = TAGGED.matcher(index); m.find(); ) {
            tagged.put(m.group(2), m.group(1));
        }
        // Each blob goes up once, to the first repository that needs it, and is mounted into the others.
        Map<String, Blob> uploads = new LinkedHashMap<>();
        List<Blob> mounts = new ArrayList<>();
        Map<String, List<String>> manifests = new LinkedHashMap<>();
        for (String tag : tags) {
            String repository = "bench/" + tag;
            List<String> order = new ArrayList<>();
            collect(layout, repository, tagged.get(tag), order, uploads, mounts);
            manifests.put(tag, order);
        }
        all(uploads.values().stream().map(blob -> pool.submit(() -> upload(layout, registry, blob))).toList());
        all(mounts.stream().map(blob -> pool.submit(() -> mount(registry, blob, uploads.get(blob.digest())))).toList());
        all(manifests.entrySet().stream().map(e -> pool.submit(() -> putManifests(layout, registry, e.getKey(), e.getValue()))).toList());
    }

    /** Walks a manifest from the layout; children come before their index in {@code order}. */
    private void collect(Path layout, String repository, String digest, List<String> order, Map<String, Blob> uploads,
                         List<Blob> mounts) throws IOException {
        String json = Files.readString(blobFile(layout, digest));
        boolean index = json.contains("\"manifests\"");
        for (Matcher m = DESCRIPTOR.matcher(json); m.find(); ) {
            if (index) {
                collect(layout, repository, m.group(2), order, uploads, mounts);
            } else {
                Blob blob = new Blob(repository, m.group(2), Long.parseLong(m.group(3)));
                if (uploads.putIfAbsent(blob.digest(), blob) != null && !uploads.get(blob.digest()).repository().equals(repository)) {
                    mounts.add(blob);
                }
            }
        }
        order.add(digest);
    }

    private Void upload(Path layout, String registry, Blob blob) throws Exception {
        String blobs = registry + "/v2/" + blob.repository() + "/blobs/";
        HttpResponse<Void> head = http.send(HttpRequest.newBuilder(URI.create(blobs + blob.digest()))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        if (head.statusCode() == 200) {
            return null;
        }
        HttpResponse<Void> session = http.send(HttpRequest.newBuilder(URI.create(blobs + "uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        expect(session, 202);
        URI location = URI.create(registry).resolve(session.headers().firstValue("Location").orElseThrow());
        String separator = location.getQuery() == null ? "?" : "&";
        expect(http.send(HttpRequest.newBuilder(URI.create(location + separator + "digest=" + blob.digest()))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofFile(blobFile(layout, blob.digest()))).build(),
                HttpResponse.BodyHandlers.discarding()), 201);
        return null;
    }

    private Void mount(String registry, Blob blob, Blob uploaded) throws Exception {
        String blobs = registry + "/v2/" + blob.repository() + "/blobs/";
        HttpResponse<Void> head = http.send(HttpRequest.newBuilder(URI.create(blobs + blob.digest()))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        if (head.statusCode() != 200) {
            expect(http.send(HttpRequest.newBuilder(URI.create(blobs + "uploads/?mount=" + blob.digest() + "&from=" + uploaded.repository()))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding()), 201);
        }
        return null;
    }

    private Void putManifests(Path layout, String registry, String tag, List<String> order) throws Exception {
        for (int i = 0; i < order.size(); i++) {
            String digest = order.get(i);
            byte[] body = Files.readAllBytes(blobFile(layout, digest));
            Matcher type = MEDIA_TYPE.matcher(new String(body, StandardCharsets.UTF_8));
            String reference = i == order.size() - 1 ? tag : digest;
            expect(http.send(HttpRequest.newBuilder(URI.create(registry + "/v2/bench/" + tag + "/manifests/" + reference))
                    .header("Content-Type", type.find() ? type.group(1) : "application/vnd.oci.image.manifest.v1+json")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.discarding()), 201);
        }
        return null;
    }

    private static Path blobFile(Path layout, String digest) {
        return layout.resolve("blobs/sha256").resolve(digest.substring(7));
    }

    private static void write(Path file, byte[] content) throws IOException {
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            out.write(ByteBuffer.wrap(content));
            out.force(true);
        }
    }

    private static void expect(HttpResponse<?> response, int status) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(response.request().method() + " " + response.uri() + ": " + response.statusCode());
        }
    }

    private static <T> List<T> all(List<Future<T>> futures) throws Exception {
        List<T> results = new ArrayList<>();
        for (Future<T> future : futures) {
            results.add(future.get());
        }
        return results;
    }
}
