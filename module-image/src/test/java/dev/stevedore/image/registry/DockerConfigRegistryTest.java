package dev.stevedore.image.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.testsupport.RecordedTokenRequest;
import dev.stevedore.testsupport.RegistryServer;
import dev.stevedore.testsupport.TokenServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Credentials from a Docker config file: a credential helper against Basic auth, an identity token against token auth. */
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

    @Test
    void anIdentityTokenIsExchangedForAccessTokensAndARotatedOneIsUsedFromThenOn() throws Exception {
        try (TokenServer tokens = TokenServer.builder().identityToken("azure-user", "rt-initial-5150").rotateRefreshTokens().start();
             RegistryServer registry = RegistryServer.builder().tokenAuth(tokens).start()) {
            Path dockerConfig = Files.createDirectories(home.resolve(".docker"));
            // What docker login writes for a registry that issues refresh tokens: a placeholder user, the token apart.
            String placeholder = java.util.Base64.getEncoder().encodeToString("00000000-0000-0000-0000-000000000000:".getBytes());
            Files.writeString(dockerConfig.resolve("config.json"), "{\"auths\":{\"" + registry.hostPort() + "\":{\"auth\":\""
                    + placeholder + "\",\"identitytoken\":\"rt-initial-5150\"}}}");
            TestImage image = TestImage.multiArch(Files.createDirectories(home.resolve("blobs")), 5000);
            RegistrySettings settings = Settings.of(List.of(Settings.plain(registry.hostPort())),
                    Map.of("HOME", home.toString(), "PATH", "/usr/bin:/bin"));
            try (RegistryTarget target = new RegistryTarget(settings)) {
                image.push(target, ImageReference.parse(registry.hostPort() + "/acr/one:1"));
                image.push(target, ImageReference.parse(registry.hostPort() + "/acr/two:1"));
                assertEquals(image.index.digest(), target.resolve(ImageReference.parse(registry.hostPort() + "/acr/two:1")).orElseThrow().digest());
            }
            List<RecordedTokenRequest> asked = tokens.requests();
            assertTrue(asked.size() >= 2, asked.toString());
            asked.forEach(r -> assertEquals("refresh_token", r.grant(), r.toString()));
            // The first refresh token stops working once rotated: every later grant succeeded with the new one.
            asked.forEach(r -> assertEquals("azure-user", r.user(), "a refresh token the service no longer knows: " + r));
        }
    }
}
