package dev.stevedore.image.registry;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** RegistrySettings for tests: no proxy or Docker config from the machine running the tests. */
final class Settings {

    private Settings() {
    }

    static RegistrySettings of(List<RegistryAuth> auths) {
        return of(auths, Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"), "HOME", "/nonexistent"));
    }

    static RegistrySettings of(List<RegistryAuth> auths, Map<String, String> environment) {
        return RegistrySettings.defaults(auths)
                .withLimits(new RetryLimits(Duration.ofSeconds(5), Duration.ofSeconds(20), 4, Duration.ofSeconds(20)))
                .withMachine(new MachineConfig(environment, null));
    }

    static RegistryAuth plain(String hostPort) {
        return RegistryAuth.of(hostPort).withPlainHttp(true);
    }

    static RegistryAuth plain(String hostPort, String username, String password) {
        return RegistryAuth.of(hostPort).withLogin(username, password).withPlainHttp(true);
    }
}
