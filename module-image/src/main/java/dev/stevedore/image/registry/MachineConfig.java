package dev.stevedore.image.registry;

import java.nio.file.Path;
import java.util.Map;

/**
 * What the machine the task runs on says about reaching registries, apart from the task's arguments.
 *
 * @param environment     where proxy variables ({@code HTTPS_PROXY} ...), {@code PATH} for credential helpers,
 *                        {@code HOME} and {@code DOCKER_CONFIG} are read
 * @param dockerConfigDir folder holding {@code config.json}, or null for {@code $DOCKER_CONFIG} or {@code ~/.docker}
 */
public record MachineConfig(Map<String, String> environment, Path dockerConfigDir) {

    public MachineConfig {
        environment = Map.copyOf(environment);
    }

    /** This process's environment, the Docker config where it says. */
    public static MachineConfig ofProcess() {
        return new MachineConfig(System.getenv(), null);
    }
}
