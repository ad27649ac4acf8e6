package dev.stevedore.image.registry;

import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.oci.MalformedManifestException;
import dev.stevedore.image.oci.Manifest;
import dev.stevedore.image.oci.ManifestParser;
import dev.stevedore.image.reference.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code PUT /v2/<name>/manifests/<tag or digest>} with {@code Content-Type} equal to the
 * manifest's media type. Pushing to a tag is how a tag is set; the registry's answered
 * {@code Docker-Content-Digest} must equal the manifest's digest when present.
 *
 * <p>A manifest whose layers list {@code urls} (foreign layers) may be refused by policy: the CNCF
 * registry, unless its {@code validation.manifests.urls.allow} matches them, answers HTTP 500 with
 * {@code MANIFEST_BLOB_UNKNOWN} naming such a layer (distribution 2.8). That answer is read here and
 * fails at once with what to change, instead of being retried as a server error.
 */
final class ManifestPusher implements RegistryEndpoint<Void> {

    private final RegistryPaths paths;
    private final Manifest manifest;
    private final String reference;
    private final Set<String> foreignLayers;

    ManifestPusher(RegistryPaths paths, Manifest manifest, String reference) {
        this.paths = paths;
        this.manifest = manifest;
        this.reference = reference;
        this.foreignLayers = foreignLayers(manifest);
    }

    private static Set<String> foreignLayers(Manifest manifest) {
        if (manifest.isIndex()) {
            return Set.of();
        }
        try {
            return ManifestParser.parseManifest(manifest).layers().stream().filter(Descriptor::isForeign)
                    .map(layer -> layer.digest().toString()).collect(Collectors.toUnmodifiableSet());
        } catch (MalformedManifestException e) {
            return Set.of(); // the registry judges what it is sent; nothing to recognise in its answer
        }
    }

    @Override
    public boolean accepts(int status) {
        return status >= 200 && status < 300 || !foreignLayers.isEmpty() && status >= 400 && status != 401 && status != 429;
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
        int status = response.statusCode();
        if (status >= 400) {
            byte[] body = RegistryEndpointCaller.drain(response);
            for (RegistryErrors.Error error : RegistryErrors.parse(body)) {
                if (error.code().equals("MANIFEST_BLOB_UNKNOWN") && foreignLayers.contains(error.detail())) {
                    throw new RegistryException.ForeignLayersRefused(action(), error.detail(), status);
                }
            }
            // Anything else is the usual failure, retried by the caller when it is a server error.
            throw RegistryErrors.toException(status, body, action(), null,
                    new RegistryErrors.Refusal(paths.host(), java.util.Optional.empty(), response.request().method(), response.uri()));
        }
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
