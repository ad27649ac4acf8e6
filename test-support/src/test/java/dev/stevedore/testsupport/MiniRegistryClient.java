package dev.stevedore.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import javax.net.ssl.SSLContext;

/**
 * Just enough of the registry API, on the plain JDK HttpClient, to prove the test servers work:
 * monolithic blob upload (POST then PUT ?digest=), manifest PUT and GET. Every call sends the
 * configured Authorization header (or none) and returns the raw response.
 */
final class MiniRegistryClient {
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

    private final HttpClient http;
    private final URI base;
    private final String authorization;

    MiniRegistryClient(URI base, SSLContext tls, String authorization) {
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5));
        if (tls != null) {
            builder.sslContext(tls);
        }
        this.http = builder.build();
        this.base = base;
        this.authorization = authorization;
    }

    static MiniRegistryClient plain(URI base) {
        return new MiniRegistryClient(base, null, null);
    }

    HttpResponse<String> get(String path) throws IOException {
        return send(request(base.resolve(path)).GET());
    }

    /** Uploads {@code content} as a blob of {@code repository}; returns the final PUT's response. */
    HttpResponse<String> pushBlob(String repository, byte[] content) throws IOException {
        HttpResponse<String> start = send(request(base.resolve("/v2/" + repository + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        if (start.statusCode() != 202) {
            return start;
        }
        URI location = base.resolve(start.headers().firstValue("Location").orElseThrow());
        String separator = location.getRawQuery() == null ? "?" : "&";
        URI put = URI.create(location + separator + "digest=" + digest(content));
        return send(request(put).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content)));
    }

    HttpResponse<String> putManifest(String repository, String reference, byte[] manifest) throws IOException {
        return send(request(base.resolve("/v2/" + repository + "/manifests/" + reference))
                .header("Content-Type", OCI_MANIFEST)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)));
    }

    HttpResponse<byte[]> getManifest(String repository, String reference) throws IOException {
        HttpRequest request = request(base.resolve("/v2/" + repository + "/manifests/" + reference))
                .header("Accept", OCI_MANIFEST).GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** Pushes a config blob, a layer and an OCI manifest tagged {@code tag}; returns the manifest bytes. */
    byte[] pushSmallImage(String repository, String tag) throws IOException {
        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
        byte[] layer = ("layer of " + repository + ":" + tag).getBytes(StandardCharsets.UTF_8);
        expectStatus(pushBlob(repository, config), 201);
        expectStatus(pushBlob(repository, layer), 201);
        byte[] manifest = manifest(config, layer);
        expectStatus(putManifest(repository, tag, manifest), 201);
        return manifest;
    }

    static byte[] manifest(byte[] config, byte[] layer) {
        return ("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
                + digest(config) + "\",\"size\":" + config.length + "},"
                + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\""
                + digest(layer) + "\",\"size\":" + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
    }

    static String digest(byte[] content) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void expectStatus(HttpResponse<String> response, int status) throws IOException {
        if (response.statusCode() != status) {
            throw new IOException(response.request().method() + " " + response.uri() + " answered "
                    + response.statusCode() + ": " + response.body());
        }
    }

    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20));
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder;
    }

    private HttpResponse<String> send(HttpRequest.Builder builder) throws IOException {
        try {
            return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
