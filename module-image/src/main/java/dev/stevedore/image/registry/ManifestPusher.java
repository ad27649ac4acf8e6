package dev.stevedore.image.registry;

import dev.stevedore.image.oci.Manifest;
import dev.stevedore.image.reference.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

/**
 * {@code PUT /v2/<name>/manifests/<tag or digest>} with {@code Content-Type} equal to the
 * manifest's media type. Pushing to a tag is how a tag is set; the registry's answered
 * {@code Docker-Content-Digest} must equal the manifest's digest when present.
 */
final class ManifestPusher implements RegistryEndpoint<Void> {

    private final RegistryPaths paths;
    private final Manifest manifest;
    private final String reference;

    ManifestPusher(RegistryPaths paths, Manifest manifest, String reference) {
        this.paths = paths;
        this.manifest = manifest;
        this.reference = reference;
    }

    @Override
    public String method() {
        return "PUT";
    }

    @Override
    public URI uri() {
        return paths.manifest(reference);
    }

    @Override
    public Map<String, String> headers() {
        return Map.of("Content-Type", manifest.mediaType());
    }

    @Override
    public HttpRequest.BodyPublisher body() {
        return HttpRequest.BodyPublishers.ofByteArray(manifest.bytes());
    }

    @Override
    public List<String> scopes() {
        return paths.push();
    }

    @Override
    public Void handle(HttpResponse<InputStream> response) throws IOException {
        response.body().close();
        String header = response.headers().firstValue("Docker-Content-Digest").orElse(null);
        if (header != null && header.startsWith(Digest.ALGORITHM + ":") && !Digest.parse(header).equals(manifest.digest())) {
            throw new RegistryException.DigestMismatch("registry " + paths.host() + " stored the manifest of " + paths.imageName()
                    + " under digest " + header + " instead of " + manifest.digest());
        }
        return null;
    }

    @Override
    public String action() {
        return "push manifest " + manifest.digest() + " to " + paths.imageName() + (reference.contains(":") ? "@" : ":") + reference
                + " on registry " + paths.host();
    }
}
