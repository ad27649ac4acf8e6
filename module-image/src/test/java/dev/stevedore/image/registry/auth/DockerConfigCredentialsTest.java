package dev.stevedore.image.registry.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerConfigCredentialsTest {

    @TempDir
    Path home;

    Map<String, String> env() {
        return Map.of("HOME", home.toString(), "PATH", home.resolve("bin") + ":/usr/bin:/bin");
    }

    void config(String json) throws IOException {
        Files.createDirectories(home.resolve(".docker"));
        Files.writeString(home.resolve(".docker/config.json"), json);
    }

    /** A fake docker-credential-<name> that answers for one server URL and records what it was asked. */
    Path helper(String name, String serverUrl, String user, String secret) throws IOException {
        Path bin = Files.createDirectories(home.resolve("bin"));
        Path script = bin.resolve("docker-credential-" + name);
        Files.writeString(script, "#!/bin/sh\n"
                + "[ \"$1\" = get ] || exit 3\n"
                + "read server\n"
                + "echo \"$server\" >> \"$HOME/asked-" + name + "\"\n"
                + "if [ \"$server\" = '" + serverUrl + "' ]; then\n"
                + "  printf '{\"ServerURL\":\"%s\",\"Username\":\"" + user + "\",\"Secret\":\"" + secret + "\"}' \"$server\"\n"
                + "else\n  echo 'credentials not found in native keychain'; exit 1\nfi\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    Optional<Credentials> lookup(String registry) throws IOException {
        return DockerConfigCredentials.locate(null, env()).forRegistry(registry);
    }

    @Test
    void anAuthsEntryWithBase64AuthIsDecoded() throws IOException {
        String auth = Base64.getEncoder().encodeToString("carol:c0l0n:in-pass".getBytes(StandardCharsets.UTF_8));
        config("{\"auths\":{\"registry.example.com:5000\":{\"auth\":\"" + auth + "\"}}}");
        assertEquals(new Credentials("carol", "c0l0n:in-pass"), lookup("registry.example.com:5000").orElseThrow());
        assertTrue(lookup("other.example.com").isEmpty());
    }

    @Test
    void dockerHubsLegacyKeyMatchesDockerIo() throws IOException {
        config("{\"auths\":{\"https://index.docker.io/v1/\":{\"username\":\"dave\",\"password\":\"hub-pass\"}}}");
        assertEquals(new Credentials("dave", "hub-pass"), lookup("docker.io").orElseThrow());
    }

    @Test
    void urlKeysAreComparedByHost() throws IOException {
        config("{\"auths\":{\"https://harbor.local/v2/\":{\"username\":\"erin\",\"password\":\"p\"}}}");
        assertEquals("erin", lookup("harbor.local").orElseThrow().username());
    }

    @Test
    void aCredHelperForTheHostIsRunWithTheServerOnStdin() throws IOException {
        helper("test", "harbor.local:8443", "frank", "helper-secret");
        config("{\"credHelpers\":{\"harbor.local:8443\":\"test\"},\"auths\":{\"harbor.local:8443\":{\"username\":\"ignored\",\"password\":\"x\"}}}");
        assertEquals(new Credentials("frank", "helper-secret"), lookup("harbor.local:8443").orElseThrow());
        assertEquals("harbor.local:8443\n", Files.readString(home.resolve("asked-test")));
    }

    @Test
    void theCredsStoreIsAskedWithDockerHubsServerUrl() throws IOException {
        helper("store", "https://index.docker.io/v1/", "gina", "store-secret");
        config("{\"credsStore\":\"store\"}");
        assertEquals(new Credentials("gina", "store-secret"), lookup("docker.io").orElseThrow());
        assertTrue(lookup("quay.io").isEmpty(), "a helper that has nothing means no credentials");
    }

    @Test
    void aMissingHelperIsAClearError() throws IOException {
        config("{\"credsStore\":\"absent\"}");
        IOException e = assertThrows(IOException.class, () -> lookup("quay.io"));
        assertTrue(e.getMessage().contains("docker-credential-absent"), e.getMessage());
    }

    @Test
    void dockerConfigVariableNamesTheFolder() throws IOException {
        Path other = Files.createDirectories(home.resolve("elsewhere"));
        Files.writeString(other.resolve("config.json"), "{\"auths\":{\"q.io\":{\"username\":\"hank\",\"password\":\"p\"}}}");
        Optional<Credentials> found = DockerConfigCredentials.locate(null, Map.of("DOCKER_CONFIG", other.toString())).forRegistry("q.io");
        assertEquals("hank", found.orElseThrow().username());
    }

    @Test
    void noConfigFileMeansNoCredentials() throws IOException {
        assertTrue(lookup("quay.io").isEmpty());
    }

    @Test
    void credentialsNeverPrintTheirSecret() {
        assertFalse(new Credentials("u", "top-secret").toString().contains("top-secret"));
    }
}
