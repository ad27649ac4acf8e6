package dev.stevedore.image.registry;

import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.registry.http.RetryPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Uploads a blob: {@code POST /v2/<name>/blobs/uploads/} opens a session, then either one
 * {@code PUT <location>?digest=} carries the whole content (two round trips, the fewest the
 * protocol allows for a blob of known size), or, with a chunk size, {@code PATCH} requests with
 * {@code Content-Range} precede a body-less {@code PUT}. The {@code Location} the registry returns is
 * used as given (relative or absolute, its query kept). The registry verifies the digest itself.
 * A failed upload is retried from a new session, when the content can be read again.
 */
final class BlobUploader {

    private static final String OCTET_STREAM = "application/octet-stream";

    private final RegistryEndpointCaller caller;
    private final RegistryPaths paths;
    private final RetryPolicy retryPolicy;
    private final UploadStrategy strategy;

    BlobUploader(RegistryEndpointCaller caller, RegistryPaths paths, RetryPolicy retryPolicy, UploadStrategy strategy) {
        this.strategy = strategy;
        this.caller = caller;
        this.paths = paths;
        this.retryPolicy = retryPolicy;
    }

    /**
     * A failed request of the session's body cannot be sent again on that session, so the whole session
     * starts over here; the POST that opens one is retried by the caller itself, not again on top. A
     * refusal of the size starts over in chunks ({@link UploadStrategy}).
     */
    void upload(Descriptor blob, BlobContent content) throws IOException {
        String action = "push blob " + blob.digest() + " to " + paths.imageName() + " on registry " + paths.host();
        RetryBudget budget = new RetryBudget(retryPolicy);
        boolean renewed = false;
        while (true) {
            Step open = new Step("POST", paths.uploads(""), Map.of(), null, 202, action);
            URI location = caller.call(open, budget);
            long chunkSize = strategy.chunkSize(open.chunkMinLength);
            try {
                sendContent(blob, content, chunkSize, action, location);
                return;
            } catch (RegistryException.Unauthorized e) {
                // The token expired between the session's POST and a later request of it. A new session's
                // POST gets the 401 again, renews the token and goes on.
                if (renewed || !content.repeatable()) {
                    throw e;
                }
                renewed = true;
            } catch (RegistryException e) {
                if (content.repeatable() && strategy.adaptTo(e, chunkSize)) {
                    continue;
                }
                boolean retryable = e instanceof RegistryException.ConnectionFailed || e.status() >= 500
                        || e.status() == 429 && !(e instanceof PullLimitReachedException);
                Duration retryAfter = e instanceof RegistryException.RateLimited limited ? limited.retryAfter() : null;
                Duration delay = retryable && content.repeatable() ? budget.afterFailure(retryAfter) : null;
                if (delay == null) {
                    throw e;
                }
                try {
                    retryPolicy.sleeper().sleep(delay);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting to retry an upload");
                }
            }
        }
    }

    private void sendContent(Descriptor blob, BlobContent content, long chunkSize, String action, URI location) throws IOException {
        if (chunkSize > 0) {
            for (long start = 0; start < blob.size(); start += chunkSize) {
                long length = Math.min(chunkSize, blob.size() - start);
                Map<String, String> headers = Map.of("Content-Type", OCTET_STREAM, "Content-Range", start + "-" + (start + length - 1));
                location = caller.call(new Step("PATCH", location, headers, content.slice(start, length), 202, action));
            }
            caller.call(new Step("PUT", RegistryPaths.withQuery(location, "digest", blob.digest().toString()), Map.of(), null, 201, action));
        } else {
            caller.call(new Step("PUT", RegistryPaths.withQuery(location, "digest", blob.digest().toString()),
                    Map.of("Content-Type", OCTET_STREAM), content.publisher(), 201, action));
        }
    }

    /** One request of the upload; yields the next {@code Location}, resolved against the request URL. */
    private final class Step implements RegistryEndpoint<URI> {
        private final String method;
        private final URI uri;
        private final Map<String, String> headers;
        private final HttpRequest.BodyPublisher body;
        private final int expected;
        private final String action;
        /** {@code OCI-Chunk-Min-Length} of the session's POST answer, 0 when absent. */
        private long chunkMinLength;

        Step(String method, URI uri, Map<String, String> headers, HttpRequest.BodyPublisher body, int expected, String action) {
            this.method = method;
            this.uri = uri;
            this.headers = headers;
            this.body = body;
            this.expected = expected;
            this.action = action;
        }

        @Override
        public String method() {
            return method;
        }

        @Override
        public URI uri() {
            return uri;
        }

        @Override
        public Map<String, String> headers() {
            return headers;
        }

        @Override
        public HttpRequest.BodyPublisher body() {
            return body == null ? HttpRequest.BodyPublishers.noBody() : body;
        }

        /** A session is stateful: a failed request inside it is retried by restarting the whole upload. */
        @Override
        public boolean repeatable() {
            return method.equals("POST");
        }

        @Override
        public List<String> scopes() {
            return paths.push();
        }

        @Override
        public boolean accepts(int status) {
            return status == expected;
        }

        @Override
        public URI handle(HttpResponse<InputStream> response) throws IOException {
            response.body().close();
            chunkMinLength = response.headers().firstValueAsLong("OCI-Chunk-Min-Length").orElse(0);
            String location = response.headers().firstValue("Location").orElse(null);
            if (location == null) {
                if (expected == 201) {
                    return null;
                }
                throw new RegistryException("failed to " + action + ": the registry answered " + response.statusCode() + " without a Location");
            }
            return uri.resolve(location);
        }

        @Override
        public String action() {
            return action;
        }
    }
}
