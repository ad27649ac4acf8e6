package dev.stevedore.image.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialResolverTest {

    @TempDir
    Path home;

    RegistrySettings settings(List<RegistryAuth> auths) {
        return RegistrySettings.defaults(auths)
                .withLimits(new RetryLimits(Duration.ofSeconds(1), Duration.ofSeconds(1), 1, Duration.ofSeconds(1)))
                .withMachine(new MachineConfig(Map.of("HOME", home.toString()), null));
    }

    @Test
    void anAuthsEntryForDockerIoAppliesToItsApiHostAndTheOtherWayRound() throws IOException {
        assertEquals("u1", new CredentialResolver(settings(List.of(RegistryAuth.basic("docker.io", "u1", "p"))))
                .forRegistry("registry-1.docker.io").orElseThrow().username());
        assertEquals("u2", new CredentialResolver(settings(List.of(RegistryAuth.basic("registry-1.docker.io", "u2", "p"))))
                .forRegistry("docker.io").orElseThrow().username());
    }

    @Test
    void taskAuthsWinOverTheDockerConfigFile() throws IOException {
        Files.createDirectories(home.resolve(".docker"));
        Files.writeString(home.resolve(".docker/config.json"), "{\"auths\":{\"q.io\":{\"username\":\"from-file\",\"password\":\"p\"}}}");
        assertEquals("from-task", new CredentialResolver(settings(List.of(RegistryAuth.basic("q.io", "from-task", "p"))))
                .forRegistry("q.io").orElseThrow().username());
        assertEquals("from-file", new CredentialResolver(settings(List.of())).forRegistry("q.io").orElseThrow().username());
    }

    @Test
    void anAuthsEntryWithoutUsernameFallsBackToTheDockerConfigFile() throws IOException {
        RegistryAuth transportOnly = RegistryAuth.of("q.io").withPlainHttp(true);
        assertTrue(new CredentialResolver(settings(List.of(transportOnly))).forRegistry("q.io").isEmpty());
    }

    @Test
    void registryAuthNeverPrintsItsPassword() {
        assertTrue(!RegistryAuth.basic("q.io", "u", "very-secret").toString().contains("very-secret"));
    }
}
