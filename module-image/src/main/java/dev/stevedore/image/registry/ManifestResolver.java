package dev.stevedore.image.registry;

import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.oci.MediaTypes;
import dev.stevedore.image.reference.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code HEAD /v2/<name>/manifests/<reference>}: what a tag points at, without the body. Yields
 * empty for 404, and a descriptor with a null digest when the registry does not send
 * {@code Docker-Content-Digest} (then the caller GETs the manifest and hashes it).
 */
final class ManifestResolver implements RegistryEndpoint<Optional<ManifestResolver.Head>> {

    /** What HEAD told: digest may be null, mediaType may be empty. */
    record Head(Digest digest, String mediaType, long size) {
        Descriptor toDescriptor() {
            return new Descriptor(mediaType, digest, size);
        }
    }

    private final RegistryPaths paths;
    private final String reference;

    ManifestResolver(RegistryPaths paths, String reference) {
        this.paths = paths;
        this.reference = reference;
    }

    @Override
    public String method() {
        return "HEAD";
    }

    @Override
    public URI uri() {
        return paths.manifest(reference);
    }

    @Override
    public Map<String, String> headers() {
        return Map.of("Accept", MediaTypes.ACCEPT_ALL_MANIFESTS);
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
    public Optional<Head> handle(HttpResponse<InputStream> response) throws IOException {
        response.body().close();
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        String header = response.headers().firstValue("Docker-Content-Digest").orElse(null);
        Digest digest = header != null && header.startsWith(Digest.ALGORITHM + ":") ? Digest.parse(header) : null;
        String mediaType = response.headers().firstValue("Content-Type").orElse("").split(";")[0].trim();
        long size = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        return Optional.of(new Head(digest, mediaType, size));
    }

    @Override
    public String action() {
        return "resolve " + paths.imageName() + (reference.contains(":") ? "@" : ":") + reference + " on registry " + paths.host();
    }
}
