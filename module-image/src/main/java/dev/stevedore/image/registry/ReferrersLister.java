package dev.stevedore.image.registry;

import dev.stevedore.image.oci.MalformedManifestException;
import dev.stevedore.image.oci.Manifest;
import dev.stevedore.image.oci.MediaTypes;
import dev.stevedore.image.oci.Referrer;
import dev.stevedore.image.oci.ReferrersIndex;
import dev.stevedore.image.reference.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /v2/<name>/referrers/<digest>} (distribution-spec 1.1, "Listing Referrers"): one page of the
 * manifests whose {@code subject} is the digest. A registry with the API answers 200 and an image index,
 * also when nothing refers to the digest; one without it (the CNCF registry 2.8) answers 404, which yields
 * empty: then referrers are found through the tag schema. A further page is named by a
 * {@code Link: <url>; rel="next"} header.
 */
final class ReferrersLister implements RegistryEndpoint<Optional<ReferrersLister.Page>> {

    /** One page of referrers, and the next page's address or null. */
    record Page(List<Referrer> referrers, URI next) {
    }

    private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");

    private final RegistryPaths paths;
    private final Digest subject;
    private final URI uri;

    /** @param uri the first page ({@code paths.referrers(subject)}) or a {@code Link} header's next one */
    ReferrersLister(RegistryPaths paths, Digest subject, URI uri) {
        this.paths = paths;
        this.subject = subject;
        this.uri = uri;
    }

    @Override
    public String method() {
        return "GET";
    }

    @Override
    public URI uri() {
        return uri;
    }

    @Override
    public Map<String, String> headers() {
        return Map.of("Accept", MediaTypes.OCI_INDEX);
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
    public Optional<Page> handle(HttpResponse<InputStream> response) throws IOException {
        if (response.statusCode() == 404) {
            response.body().close();
            return Optional.empty();
        }
        byte[] body;
        try (InputStream in = response.body()) {
            body = in.readNBytes(Manifest.MAX_SIZE + 1);
        }
        if (body.length > Manifest.MAX_SIZE) {
            throw new RegistryException.UnsupportedManifest("the referrers list of " + name() + " on registry " + paths.host()
                    + " is larger than " + Manifest.MAX_SIZE / (1024 * 1024) + " MiB; refusing it");
        }
        List<Referrer> referrers;
        try {
            referrers = ReferrersIndex.parse(body);
        } catch (MalformedManifestException e) {
            throw new RegistryException.UnsupportedManifest("registry " + paths.host() + " answered the referrers list of "
                    + name() + " with something that is not an image index: " + e.getMessage());
        }
        return Optional.of(new Page(referrers, next(response)));
    }

    private URI next(HttpResponse<InputStream> response) {
        for (String link : response.headers().allValues("Link")) {
            Matcher matcher = NEXT.matcher(link);
            if (matcher.find()) {
                return uri.resolve(matcher.group(1));
            }
        }
        return null;
    }

    @Override
    public String action() {
        return "list the referrers of " + name() + " on registry " + paths.host();
    }

    private String name() {
        return paths.imageName() + "@" + subject;
    }
}
