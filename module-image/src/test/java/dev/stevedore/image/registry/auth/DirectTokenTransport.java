package dev.stevedore.image.registry.auth;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** For the auth package's own tests: token requests sent on a plain HttpClient, with a deadline and no redirects. */
final class DirectTokenTransport implements TokenTransport {

    private final HttpClient client = HttpClient.newHttpClient();
    private final Duration timeout;

    DirectTokenTransport(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public HttpResponse<InputStream> send(HttpRequest request) throws IOException {
        try {
            return client.send(HttpRequest.newBuilder(request, (name, value) -> true).timeout(timeout).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        }
    }
}
