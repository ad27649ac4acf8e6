package dev.stevedore.image.registry;

import dev.stevedore.image.error.ImageException;
import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.registry.http.HttpClients;
import dev.stevedore.image.registry.http.IdleTimeoutBodySubscriber;
import dev.stevedore.image.registry.http.TransportConfig;
import dev.stevedore.image.target.ForeignLayerSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * Downloads foreign layers from the {@code urls} of their descriptors (Windows base layers on
 * {@code mcr.microsoft.com}, say): a plain GET of each URL in turn until one answers 200, over verified
 * TLS and the proxies of the environment, never with credentials (these are public addresses, not a
 * registry the task has {@code auths} for). Redirects, which content delivery networks use, are followed
 * by hand (at most {@value #MAX_REDIRECTS}). The HttpClient is made on first use and shared.
 */
public final class ForeignLayerFetcher implements ForeignLayerSource {

    private static final int MAX_REDIRECTS = 5;

    private final RegistrySettings settings;
    private HttpClient client;

    public ForeignLayerFetcher(RegistrySettings settings) {
        this.settings = settings;
    }

    @Override
    public InputStream open(ImageReference image, Descriptor layer) throws IOException {
        List<String> failures = new ArrayList<>();
        for (String url : layer.urls()) {
            URI uri;
            try {
                uri = URI.create(url);
            } catch (IllegalArgumentException e) {
                failures.add("'" + url + "' is not a URL");
                continue;
            }
            if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
                failures.add(printable(uri) + ": not an http or https URL");
                continue;
            }
            try {
                HttpResponse<InputStream> response = get(uri);
                if (response.statusCode() == 200) {
                    return response.body();
                }
                response.body().close();
                failures.add(printable(uri) + ": HTTP " + response.statusCode());
            } catch (InterruptedIOException e) {
                throw e;
            } catch (IOException e) {
                failures.add(printable(uri) + ": " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
            }
        }
        throw new ImageException("foreign layer " + layer.digest() + " of " + image + " is not in the image's source and could not"
                + " be downloaded from its URLs (" + String.join("; ", failures) + "): check that this machine reaches them"
                + " (proxy settings), or leave foreign_layers at skip so that nodes download the layer themselves");
    }

    private HttpResponse<InputStream> get(URI start) throws IOException {
        URI uri = start;
        for (int hop = 0; ; hop++) {
            HttpRequest request = HttpRequest.newBuilder(uri).GET().timeout(settings.limits().readTimeout()).build();
            HttpResponse<InputStream> response;
            try {
                response = client().send(request, IdleTimeoutBodySubscriber.handler(settings.limits().readTimeout()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted");
            }
            int status = response.statusCode();
            String location = response.headers().firstValue("Location").orElse(null);
            if (status < 300 || status >= 400 || location == null || hop >= MAX_REDIRECTS) {
                return response;
            }
            response.body().close();
            uri = uri.resolve(location);
        }
    }

    private synchronized HttpClient client() throws IOException {
        if (client == null) {
            client = HttpClients.create(new TransportConfig(false, false, null, null, null), settings.limits().connectTimeout(),
                    settings.machine().environment());
        }
        return client;
    }

    /** Without query or fragment: a signed download URL's token stays out of messages. */
    private static String printable(URI uri) {
        return uri.getScheme() + "://" + uri.getRawAuthority() + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            HttpClients.shutDown(client);
            client = null;
        }
    }
}
