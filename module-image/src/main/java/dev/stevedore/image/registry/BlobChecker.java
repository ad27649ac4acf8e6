package dev.stevedore.image.registry;

import dev.stevedore.image.oci.Descriptor;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;

/** {@code HEAD /v2/<name>/blobs/<digest>}: whether the repository has the blob, with the expected size. */
final class BlobChecker implements RegistryEndpoint<Boolean> {

    private final RegistryPaths paths;
    private final Descriptor blob;

    BlobChecker(RegistryPaths paths, Descriptor blob) {
        this.paths = paths;
        this.blob = blob;
    }

    @Override
    public String method() {
        return "HEAD";
    }

    @Override
    public URI uri() {
        return paths.blob(blob.digest());
    }

    @Override
    public List<String> scopes() {
        return paths.pull();
    }

    @Override
    public boolean accepts(int status) {
        return status == 200 || status == 404;
    }

    @Override
    public Boolean handle(HttpResponse<InputStream> response) throws IOException {
        response.body().close();
        if (response.statusCode() == 404) {
            return false;
        }
        long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        return length < 0 || length == blob.size();
    }

    @Override
    public String action() {
        return "check blob " + blob.digest() + " of " + paths.imageName() + " on registry " + paths.host();
    }
}
