package dev.stevedore.image.registry;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * What the registry client tells the task as it works: waits before another attempt (shown at the
 * default level, so a dead registry is never a silent pause) and, for {@code -vv}, each request. Nothing
 * passed here holds a secret: URLs come without their query string, tokens and credentials never.
 */
public interface RegistryEvents {

    RegistryEvents NONE = new RegistryEvents() {
    };

    /** The client waits {@code wait} before attempt {@code nextAttempt} of {@code attempts} to reach {@code host}. */
    default void retrying(String host, String reason, int nextAttempt, int attempts, Duration wait) {
    }

    /**
     * One HTTP exchange answered.
     *
     * @param url     without query string or user info
     * @param bytes   the response's Content-Length, or the request body's length for uploads; -1 when unknown
     * @param attempt 1 for the first attempt of the operation
     */
    default void exchanged(String method, String url, int status, long bytes, Duration took, int attempt) {
    }

    /** A token is asked for at {@code realm} (without query) for {@code scopes}. */
    default void tokenRequested(String host, String realm, List<String> scopes) {
    }

    /** The registry refused a blob in one request ({@code reason}); uploads to it go in chunks of {@code chunkSize} from now on. */
    default void uploadsChunked(String host, String reason, long chunkSize) {
    }

    /** The registry announced its pull budget, and it changed since its last answer (shown with {@code -v}). */
    default void pullBudget(String host, RateLimit budget) {
    }

    /**
     * Fewer pulls remain in the registry's budget than {@code imagesLeft} images still to read from it, at most (an image
     * a {@code HEAD} later finds unchanged is not pulled): said once per task.
     */
    default void pullBudgetShort(String host, RateLimit budget, int imagesLeft) {
    }

    /** The registry answered 429: at most {@code requestsAtOnce} requests go to it at a time from now on. */
    default void slowedDown(String host, int requestsAtOnce) {
    }

    /** A Harbor project was missing and has been created ({@code create_project}). */
    default void projectCreated(String host, String project) {
    }

    /** Cross-repository mount asked for; {@code mounted} false when the registry wants an upload. */
    default void mountTried(String image, String blob, String from, boolean mounted) {
    }

    /** The URL of a request with everything that may carry a secret taken off: user info and query. */
    static String shown(URI uri) {
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort()) + path
                + (uri.getRawQuery() == null ? "" : "?…");
    }
}
