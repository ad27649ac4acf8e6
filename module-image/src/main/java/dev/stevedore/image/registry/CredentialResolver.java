package dev.stevedore.image.registry;

import dev.stevedore.image.registry.auth.Credentials;
import dev.stevedore.image.registry.auth.DockerConfigCredentials;
import java.io.IOException;
import java.util.Optional;

/** Finds the credentials for a registry host: the task's {@code auths} first, then the Docker config file. */
public final class CredentialResolver {

    private final RegistrySettings settings;

    public CredentialResolver(RegistrySettings settings) {
        this.settings = settings;
    }

    public Optional<Credentials> forRegistry(String registry) throws IOException {
        Optional<Credentials> given = authFor(settings, registry).flatMap(RegistryAuth::credentials);
        if (given.isPresent()) {
            return given;
        }
        return DockerConfigCredentials.locate(settings.machine().dockerConfigDir(), settings.machine().environment()).forRegistry(registry);
    }

    /** The {@code auths} entry for a host; {@code docker.io} also matches its API host and the other way round. */
    public static Optional<RegistryAuth> authFor(RegistrySettings settings, String registry) {
        String wanted = DockerConfigCredentials.hostOf(registry);
        return settings.auths().stream()
                .filter(a -> a.registry() != null && DockerConfigCredentials.hostOf(a.registry()).equals(wanted))
                .findFirst();
    }
}
