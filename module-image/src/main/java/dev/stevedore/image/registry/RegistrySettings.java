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
 * @param form            the task's argument form, so that errors suggest keys it accepts
 */
public record RegistrySettings(List<RegistryAuth> auths, boolean skipTlsVerify, Duration connectTimeout,
                               Duration readTimeout, int maxAttempts, Duration maxRetryTime,
                               Map<String, String> environment, Path dockerConfigDir, TaskForm form) {

    public RegistrySettings {
        auths = List.copyOf(auths);
        environment = Map.copyOf(environment);
        Objects.requireNonNull(form, "form");
    }

    /** Settings of a task in the newer form. */
    public RegistrySettings(List<RegistryAuth> auths, boolean skipTlsVerify, Duration connectTimeout, Duration readTimeout,
                            int maxAttempts, Duration maxRetryTime, Map<String, String> environment, Path dockerConfigDir) {
        this(auths, skipTlsVerify, connectTimeout, readTimeout, maxAttempts, maxRetryTime, environment, dockerConfigDir, TaskForm.NEWER);
    }

    /** The same settings for a task in {@code newForm}. */
    public RegistrySettings withForm(TaskForm newForm) {
        return new RegistrySettings(auths, skipTlsVerify, connectTimeout, readTimeout, maxAttempts, maxRetryTime, environment,
                dockerConfigDir, newForm);
    }

    /** Sensible defaults for a real run: verified TLS, 5 attempts, the process environment. */
    public static RegistrySettings defaults(List<RegistryAuth> auths) {
        return new RegistrySettings(auths, false, Duration.ofSeconds(10), Duration.ofSeconds(60), 5,
                Duration.ofMinutes(2), System.getenv(), null);
    }
}
