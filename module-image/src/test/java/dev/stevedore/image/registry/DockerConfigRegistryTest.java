package dev.stevedore.image.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.testsupport.RegistryServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Credentials from a Docker config file and a credential helper, used against a registry with Basic auth. */
class DockerConfigRegistryTest {

    @TempDir
    Path home;

    @Test
    void aCredentialHelperOnTheTaskPathSuppliesThePassword() throws Exception {
        try (RegistryServer registry = RegistryServer.builder().basicAuth("ivy", "from-helper-7").start()) {
            Path bin = Files.createDirectories(home.resolve("bin"));
            Path script = bin.resolve("docker-credential-test");
            Files.writeString(script, "#!/bin/sh\nread server\n"
                    + "[ \"$server\" = '" + registry.hostPort() + "' ] || exit 1\n"
                    + "echo '{\"Username\":\"ivy\",\"Secret\":\"from-helper-7\"}'\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path dockerConfig = Files.createDirectories(home.resolve(".docker"));
            Files.writeString(dockerConfig.resolve("config.json"), "{\"credHelpers\":{\"" + registry.hostPort() + "\":\"test\"}}");

            TestImage image = TestImage.multiArch(Files.createDirectories(home.resolve("blobs")), 5000);
            ImageReference reference = ImageReference.parse(registry.hostPort() + "/helper/app:1");
            // The registry entry in auths carries transport settings only; credentials come from the helper.
            RegistrySettings settings = Settings.of(List.of(Settings.plain(registry.hostPort())),
                    Map.of("HOME", home.toString(), "PATH", bin + ":/usr/bin:/bin"));
            try (RegistryTarget target = new RegistryTarget(settings)) {
                image.push(target, reference);
                assertEquals(image.index.digest(), target.resolve(reference).orElseThrow().digest());
            }
        }
    }
}
