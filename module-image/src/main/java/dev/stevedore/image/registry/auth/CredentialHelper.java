package dev.stevedore.image.registry.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code docker-credential-<name> get} as Docker does: the server URL on stdin, a JSON object
 * {@code {"Username", "Secret"}} on stdout. The executable is looked up on the PATH of the given
 * environment (not the JVM's), so tests and tasks can point it elsewhere.
 */
public final class CredentialHelper {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TIMEOUT_SECONDS = 30;
    private static final String IDENTITY_TOKEN_USER = "<token>";

    private final String name;
    private final Map<String, String> environment;

    public CredentialHelper(String name, Map<String, String> environment) {
        this.name = name;
        this.environment = environment;
    }

    /** The credentials the helper holds for the server, or empty when it has none. */
    public Optional<Credentials> get(String serverUrl) throws IOException {
        Path executable = locate().orElseThrow(() -> new IOException(
                "credential helper docker-credential-" + name + " (named in the Docker config file) is not on the PATH"));
        ProcessBuilder builder = new ProcessBuilder(executable.toString(), "get");
        builder.environment().clear();
        builder.environment().putAll(environment);
        builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process process = builder.start();
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write(serverUrl.getBytes(StandardCharsets.UTF_8));
        }
        byte[] output;
        try (InputStream stdout = process.getInputStream()) {
            output = stdout.readNBytes(1 << 20);
        }
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("credential helper docker-credential-" + name + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running credential helper docker-credential-" + name, e);
        }
        if (process.exitValue() != 0) {
            // "credentials not found in native keychain" and the like: no credentials, not an error.
            return Optional.empty();
        }
        JsonNode answer;
        try {
            answer = JSON.readTree(output);
        } catch (IOException e) {
            // The output may contain the secret: never quote it.
            throw new IOException("credential helper docker-credential-" + name + " printed something that is not JSON");
        }
        String username = answer == null ? "" : answer.path("Username").asText("");
        String secret = answer == null ? "" : answer.path("Secret").asText("");
        if (secret.isEmpty()) {
            return Optional.empty();
        }
        // Docker's convention: a helper that stores an identity token answers the user name "<token>".
        return Optional.of(IDENTITY_TOKEN_USER.equals(username) ? Credentials.identityToken(username, secret) : new Credentials(username, secret));
    }

    private Optional<Path> locate() {
        String path = environment.getOrDefault("PATH", "");
        for (String folder : path.split(File.pathSeparator)) {
            if (folder.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(folder, "docker-credential-" + name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
