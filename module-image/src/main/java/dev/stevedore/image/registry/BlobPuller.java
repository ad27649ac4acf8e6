package dev.stevedore.image.registry;

import dev.stevedore.image.oci.Descriptor;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v2/<name>/blobs/<digest>}, from {@code offset} on with a {@code Range} header when
 * resuming. Yields the response with its body unread: 206 when the server honoured the range, 200
 * when it sends the whole blob again. Redirects (to S3 or a CDN) are followed by the caller.
 */
final class BlobPuller implements RegistryEndpoint<HttpResponse<InputStream>> {

    private final RegistryPaths paths;
    private final Descriptor blob;
    private final long offset;

    BlobPuller(RegistryPaths paths, Descriptor blob, long offset) {
        this.paths = paths;
        this.blob = blob;
        this.offset = offset;
    }

    @Override
    public String method() {
        return "GET";
    }

    @Override
    public URI uri() {
        return paths.blob(blob.digest());
    }

    @Override
    public Map<String, String> headers() {
        return offset > 0 ? Map.of("Range", "bytes=" + offset + "-") : Map.of();
    }

    @Override
    public List<String> scopes() {
        return paths.pull();
    }

    @Override
    public boolean accepts(int status) {
        return status == 200 || status == 206;
    }

    @Override
    public HttpResponse<InputStream> handle(HttpResponse<InputStream> response) {
        return response;
    }

    @Override
    public String action() {
        return "pull blob " + blob.digest() + " of " + paths.imageName() + " from registry " + paths.host();
    }
}
