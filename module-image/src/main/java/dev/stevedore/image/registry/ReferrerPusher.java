package dev.stevedore.image.registry;

import dev.stevedore.image.oci.Manifest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

/**
 * {@code PUT /v2/<name>/manifests/<digest>} of a manifest with a {@code subject}: the push of
 * {@link ManifestPusher}, plus what distribution-spec 1.1 says the answer tells: a registry that indexed
 * the manifest for its referrers API sends {@code OCI-Subject}. Without that header the client must keep
 * the referrers tag schema's index itself. Yields whether the header came.
 */
final class ReferrerPusher implements RegistryEndpoint<Boolean> {

    private final ManifestPusher push;

    ReferrerPusher(RegistryPaths paths, Manifest referrer) {
        this.push = new ManifestPusher(paths, referrer, referrer.digest().toString());
    }

    @Override
    public boolean accepts(int status) {
        return push.accepts(status);
    }

    @Override
    public String method() {
        return push.method();
    }

    @Override
    public URI uri() {
        return push.uri();
    }

    @Override
    public Map<String, String> headers() {
        return push.headers();
    }

    @Override
    public HttpRequest.BodyPublisher body() {
        return push.body();
    }

    @Override
    public List<String> scopes() {
        return push.scopes();
    }

    @Override
    public Boolean handle(HttpResponse<InputStream> response) throws IOException {
        push.handle(response);
        return response.headers().firstValue("OCI-Subject").isPresent();
    }

    @Override
    public String action() {
        return push.action();
    }
}
