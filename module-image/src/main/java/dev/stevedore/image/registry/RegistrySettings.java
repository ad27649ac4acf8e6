package dev.stevedore.image.registry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a registry client needs that does not come from the image reference.
 *
 * @param auths           per-registry settings from the task; hosts not listed use the defaults
 * @param skipTlsVerify   the task-wide default for TLS verification (false: verify)
 * @param connectTimeout  TCP/TLS connect timeout
 * @param readTimeout     longest silence tolerated inside a response body before the transfer fails
 * @param maxAttempts     attempts per request for retryable failures (connection errors, 5xx, 429)
 * @param maxRetryTime    upper bound on the total time spent waiting between attempts of one request
 * @param environment     where proxy variables ({@code HTTPS_PROXY} ...) and {@code DOCKER_CONFIG} are read
 * @param dockerConfigDir folder holding {@code config.json}, or null for {@code $DOCKER_CONFIG} or {@code ~/.docker}
 * @param push            how blobs go up and whether missing Harbor projects are created ({@code chunk_size}, {@code create_project})
 * @param form            the task's argument form, so that errors suggest keys it accepts
 * @param events          told of waits and requests, for the task's output
 */
public record RegistrySettings(List<RegistryAuth> auths, boolean skipTlsVerify, Duration connectTimeout,
                               Duration readTimeout, int maxAttempts, Duration maxRetryTime,
                               Map<String, String> environment, Path dockerConfigDir, PushOptions push, TaskForm form,
                               RegistryEvents events) {

    public RegistrySettings {
        auths = List.copyOf(auths);
        environment = Map.copyOf(environment);
        Objects.requireNonNull(push, "push");
        Objects.requireNonNull(form, "form");
        Objects.requireNonNull(events, "events");
    }

    /** Settings of a task in the newer form that uploads in one request per blob and reports nothing. */
    public RegistrySettings(List<RegistryAuth> auths, boolean skipTlsVerify, Duration connectTimeout, Duration readTimeout,
                            int maxAttempts, Duration maxRetryTime, Map<String, String> environment, Path dockerConfigDir) {
        this(auths, skipTlsVerify, connectTimeout, readTimeout, maxAttempts, maxRetryTime, environment, dockerConfigDir,
                PushOptions.defaults(), TaskForm.NEWER, RegistryEvents.NONE);
    }

    public RegistrySettings withEvents(RegistryEvents newEvents) {
        return new RegistrySettings(auths, skipTlsVerify, connectTimeout, readTimeout, maxAttempts, maxRetryTime, environment,
                dockerConfigDir, push, form, newEvents);
    }

    public RegistrySettings withPush(PushOptions newPush) {
        return new RegistrySettings(auths, skipTlsVerify, connectTimeout, readTimeout, maxAttempts, maxRetryTime, environment,
                dockerConfigDir, newPush, form, events);
    }

    /** PATCH chunks of {@code size} bytes for every blob (0: one request, the default). */
    public RegistrySettings withChunkSize(long size) {
        return withPush(push.withChunkSize(size));
    }

    /** The task's chunk size, 0 for one request per blob. */
    public long chunkSize() {
        return push.chunkSize();
    }

    /** The same settings for a task in {@code newForm}. */
    public RegistrySettings withForm(TaskForm newForm) {
        return new RegistrySettings(auths, skipTlsVerify, connectTimeout, readTimeout, maxAttempts, maxRetryTime, environment,
                dockerConfigDir, push, newForm, events);
    }

    /**
     * These settings' connections with what the task chose that is not about connecting: its events, push
     * options and form. For test seams that replace timeouts and the environment.
     */
    public RegistrySettings keeping(RegistrySettings task) {
        return withEvents(task.events()).withPush(task.push()).withForm(task.form());
    }

    /** Sensible defaults for a real run: verified TLS, 5 attempts, the process environment. */
    public static RegistrySettings defaults(List<RegistryAuth> auths) {
        return new RegistrySettings(auths, false, Duration.ofSeconds(10), Duration.ofSeconds(60), 5,
                Duration.ofMinutes(2), System.getenv(), null);
    }
}
