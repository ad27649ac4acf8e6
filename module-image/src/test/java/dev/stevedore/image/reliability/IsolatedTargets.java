package dev.stevedore.image.reliability;

import dev.stevedore.image.DefaultTargets;
import dev.stevedore.image.copy.Location;
import dev.stevedore.image.TargetProvider;
import dev.stevedore.image.registry.MachineConfig;
import dev.stevedore.image.registry.RegistrySettings;
import dev.stevedore.image.registry.RetryLimits;
import dev.stevedore.image.store.StoreOptions;
import dev.stevedore.image.target.ImageTarget;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The real targets with an environment of the test's choosing instead of the machine's (proxy variables,
 * {@code PATH} for credential helpers, {@code HOME} and {@code DOCKER_CONFIG}), one attempt per request
 * and short timeouts, so that a test fails fast and never reaches a host it did not start.
 */
record IsolatedTargets(Map<String, String> environment) implements TargetProvider {

    /** No Docker config, no credential helpers, and every proxied request sent to {@code proxyHostPort}. */
    static IsolatedTargets proxiedThrough(String proxyHostPort) {
        return new IsolatedTargets(Map.of("HOME", "/nonexistent", "PATH", "/usr/bin:/bin",
                "HTTPS_PROXY", "http://" + proxyHostPort, "HTTP_PROXY", "http://" + proxyHostPort));
    }

    @Override
    public ImageTarget registries(RegistrySettings settings) {
        return new DefaultTargets().registries(RegistrySettings.defaults(settings.auths()).withSkipTlsVerify(settings.skipTlsVerify())
                .withLimits(new RetryLimits(Duration.ofSeconds(3), Duration.ofSeconds(10), 1, Duration.ofSeconds(2)))
                .withMachine(new MachineConfig(environment, null)).keeping(settings));
    }


    @Override
    public ImageTarget directory(Location.Kind kind, Path path, StoreOptions options) throws IOException {
        return new DefaultTargets().directory(kind, path, options);
    }
}
