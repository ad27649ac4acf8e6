package dev.stevedore.image.registry;

import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.reference.ImageReference;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code POST /v2/<name>/blobs/uploads/?mount=<digest>&from=<other>}: links a blob the registry
 * already has in another repository. 201 means mounted; 202 means the registry opened an upload
 * session instead (no access to {@code from}, or mounting unsupported), and the caller uploads.
 * The token needs push on the target and pull on the source repository.
 */
final class BlobMounter implements RegistryEndpoint<Boolean> {

    private final RegistryPaths paths;
    private final Descriptor blob;
    private final ImageReference from;

    BlobMounter(RegistryPaths paths, Descriptor blob, ImageReference from) {
        this.paths = paths;
        this.blob = blob;
        this.from = from;
    }

    @Override
    public String method() {
        return "POST";
    }

    @Override
    public URI uri() {
        return paths.uploads("mount=" + blob.digest() + "&from=" + URLEncoder.encode(from.repository(), StandardCharsets.UTF_8));
    }

    @Override
    public List<String> scopes() {
        return List.of(paths.push().get(0), "repository:" + from.repository() + ":pull");
    }

    @Override
    public Boolean handle(HttpResponse<InputStream> response) throws IOException {
        response.body().close();
        // 202 leaves an upload session open; the registry purges unused sessions, so it is not cancelled.
        return response.statusCode() == 201;
    }

    @Override
    public String action() {
        return "mount blob " + blob.digest() + " from " + from.repository() + " into " + paths.imageName() + " on registry " + paths.host();
    }
}
