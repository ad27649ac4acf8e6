package dev.stevedore.image.registry;

import dev.stevedore.image.oci.Manifest;
import dev.stevedore.image.oci.ManifestParser;
import dev.stevedore.image.oci.MediaTypes;
import dev.stevedore.image.reference.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v2/<name>/manifests/<reference>}: the manifest or index, byte-exact, at most 4 MiB,
 * verified against the digest asked for and against {@code Docker-Content-Digest} when present.
 * Sends every Accept type we read: registry 2.8 answers 404 to an OCI manifest without it.
 */
final class ManifestPuller implements RegistryEndpoint<Manifest> {

    private final RegistryPaths paths;
    private final String reference;
    private final Digest expected;

    ManifestPuller(RegistryPaths paths, String reference, Digest expected) {
        this.paths = paths;
        this.reference = reference;
        this.expected = expected;
    }

    @Override
    public String method() {
        return "GET";
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
    public Manifest handle(HttpResponse<InputStream> response) throws IOException {
        long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (length > Manifest.MAX_SIZE) {
            response.body().close();
            throw tooLarge();
        }
        byte[] bytes;
        try (InputStream in = response.body()) {
            bytes = in.readNBytes(Manifest.MAX_SIZE + 1);
        }
        if (bytes.length > Manifest.MAX_SIZE) {
            throw tooLarge();
        }
        String contentType = response.headers().firstValue("Content-Type").orElse("").split(";")[0].trim();
        // The registry's Content-Type first; a generic one ("application/json") leaves the document to tell,
        // by its mediaType or, for image-spec 1.0 and older Helm charts that have none, by its structure.
        String mediaType = MediaTypes.isManifestOrIndex(contentType) || MediaTypes.isSchema1(contentType)
                ? contentType : ManifestParser.detectMediaType(bytes, null);
        if (MediaTypes.isSchema1(mediaType, bytes)) {
            throw new RegistryException.UnsupportedManifest("image " + name() + " on registry " + paths.host() + MediaTypes.SCHEMA1_REFUSED);
        }
        if (!MediaTypes.isManifestOrIndex(mediaType)) {
            throw new RegistryException.UnsupportedManifest("image " + name() + " on registry " + paths.host()
                    + " has a manifest of unsupported media type '" + mediaType + "'");
        }
        Manifest manifest = Manifest.of(bytes, mediaType);
        if (expected != null && !expected.equals(manifest.digest())) {
            throw mismatch("the digest asked for", expected, manifest.digest());
        }
        String header = response.headers().firstValue("Docker-Content-Digest").orElse(null);
        if (header != null && header.startsWith(Digest.ALGORITHM + ":") && !Digest.parse(header).equals(manifest.digest())) {
            throw mismatch("Docker-Content-Digest", Digest.parse(header), manifest.digest());
        }
        return manifest;
    }

    private RegistryException tooLarge() {
        return new RegistryException.UnsupportedManifest("the manifest of " + name() + " on registry "
                + paths.host() + " is larger than " + Manifest.MAX_SIZE / (1024 * 1024) + " MiB; refusing it");
    }

    private RegistryException mismatch(String against, Digest wanted, Digest actual) {
        return new RegistryException.DigestMismatch("the manifest of " + name() + " from registry "
                + paths.host() + " has digest " + actual + ", but " + against + " is " + wanted);
    }

    @Override
    public String action() {
        return "pull manifest " + name() + " from registry " + paths.host();
    }

    /** {@code name:tag}, or {@code name@sha256:...} for a digest. */
    private String name() {
        return paths.imageName() + (reference.contains(":") ? "@" : ":") + reference;
    }
}
