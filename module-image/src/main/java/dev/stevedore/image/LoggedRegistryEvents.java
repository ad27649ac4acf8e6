package dev.stevedore.image;

import dev.stevedore.image.registry.RateLimit;
import dev.stevedore.image.registry.RegistryEvents;
import dev.stevedore.spi.Bytes;
import dev.stevedore.spi.TaskLog;
import java.time.Duration;
import java.util.List;

/**
 * The registry client's events as task output: every wait before another attempt as a warning (shown at
 * the default level, so a registry that is down is never a silent pause), each request and token request
 * at {@code -vv}. What reaches here holds no secret; see {@link RegistryEvents}.
 */
record LoggedRegistryEvents(TaskLog log) implements RegistryEvents {

    @Override
    public void retrying(String host, String reason, int nextAttempt, int attempts, Duration wait) {
        log.warn("registry " + host + ": " + reason + ", attempt " + nextAttempt + " of " + attempts + " in " + seconds(wait));
    }

    @Override
    public void exchanged(String method, String url, int status, long bytes, Duration took, int attempt) {
        log.debug("HTTP " + method + " " + url + " -> " + status + (bytes >= 0 ? ", " + Bytes.format(bytes) : "")
                + ", " + took.toMillis() + " ms" + (attempt > 1 ? ", attempt " + attempt : ""));
    }

    @Override
    public void tokenRequested(String host, String realm, List<String> scopes) {
        log.debug("token for " + host + " from " + realm + (scopes.isEmpty() ? "" : " for " + String.join(" ", scopes)));
    }

    @Override
    public void uploadsChunked(String host, String reason, long chunkSize) {
        log.warn("registry " + host + " refused a blob sent in one request (" + reason + "); uploading to it in chunks of "
                + Bytes.format(chunkSize) + " for the rest of the task (set chunk_size to start so)");
    }

    @Override
    public void pullBudget(String host, RateLimit budget) {
        log.info("registry " + host + ": " + budget.describe());
    }

    @Override
    public void pullBudgetShort(String host, RateLimit budget, int imagesLeft) {
        log.warn("registry " + host + " allows " + budget.limit() + " pulls" + (budget.window().isZero() ? "" : " per " + budget.windowText())
                + " and " + budget.remaining() + (budget.remaining() == 1 ? " is" : " are") + " left, but up to " + imagesLeft + " more "
                + (imagesLeft == 1 ? "image is" : "images are") + " to be pulled from it (an image whose tag has not moved since"
                + " the destination got it is not pulled again): the rest will be refused (HTTP 429) until the"
                + " window moves on; authenticate (auths, or docker login " + host + ") for a higher limit, or pull fewer images per run");
    }

    @Override
    public void slowedDown(String host, int requestsAtOnce) {
        log.warn("registry " + host + " answered 429 (too many requests): sending it at most " + requestsAtOnce
                + (requestsAtOnce == 1 ? " request" : " requests") + " at a time for the rest of the task");
    }

    @Override
    public void projectCreated(String host, String project) {
        log.info("registry " + host + ": created project " + project + " (private), which did not exist (create_project)");
    }

    @Override
    public void mountTried(String image, String blob, String from, boolean mounted) {
        log.debug("mount " + blob + " from " + from + " into " + image + ": " + (mounted ? "mounted" : "the registry wants an upload"));
    }

    private static String seconds(Duration wait) {
        long millis = wait.toMillis();
        return millis < 10_000 ? String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0) : (millis / 1000) + " s";
    }
}
