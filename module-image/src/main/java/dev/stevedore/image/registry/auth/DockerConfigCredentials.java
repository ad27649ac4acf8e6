package dev.stevedore.image.registry.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stevedore.image.reference.DockerHubNames;
import dev.stevedore.image.reference.ImageReference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Credentials from Docker's {@code config.json}: {@code credHelpers} for the host first, then an
 * {@code auths} entry ({@code identitytoken}, an OAuth2 refresh token; else {@code auth} as base64
 * {@code user:password}, or {@code username}/{@code password}), then the {@code credsStore}. Keys of {@code auths} may be full URLs ({@code https://index.docker.io/v1/}),
 * so they are compared by host. A missing file means no credentials.
 */
public final class DockerConfigCredentials {

    /** The key Docker uses for Docker Hub in {@code auths} and with credential helpers. */
    static final String DOCKER_HUB_SERVER = "https://index.docker.io/v1/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path configFile;
    private final Map<String, String> environment;

    DockerConfigCredentials(Path configFile, Map<String, String> environment) {
        this.configFile = configFile;
        this.environment = environment;
    }

    /** The config file in {@code directory}, else {@code $DOCKER_CONFIG}, else {@code $HOME/.docker}. */
    public static DockerConfigCredentials locate(Path directory, Map<String, String> environment) {
        Path folder = directory;
        if (folder == null && environment.get("DOCKER_CONFIG") != null) {
            folder = Path.of(environment.get("DOCKER_CONFIG"));
        }
        if (folder == null) {
            folder = Path.of(environment.getOrDefault("HOME", System.getProperty("user.home")), ".docker");
        }
        return new DockerConfigCredentials(folder.resolve("config.json"), environment);
    }

    /** Credentials for a registry host as written in references ({@code docker.io}, {@code host:port}). */
    public Optional<Credentials> forRegistry(String registry) throws IOException {
        if (!Files.isRegularFile(configFile)) {
            return Optional.empty();
        }
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(configFile));
        } catch (IOException e) {
            throw new IOException("cannot read the Docker config file " + configFile + ": it is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            return Optional.empty();
        }
        String helper = entryFor(root.path("credHelpers"), registry).map(JsonNode::asText).orElse(null);
        if (helper != null && !helper.isEmpty()) {
            return new CredentialHelper(helper, environment).get(serverUrl(registry));
        }
        Optional<JsonNode> auth = entryFor(root.path("auths"), registry);
        if (auth.isPresent()) {
            Optional<Credentials> fromAuths = decode(auth.get(), registry);
            if (fromAuths.isPresent()) {
                return fromAuths;
            }
        }
        String store = root.path("credsStore").asText("");
        if (!store.isEmpty()) {
            return new CredentialHelper(store, environment).get(serverUrl(registry));
        }
        return Optional.empty();
    }

    private Optional<Credentials> decode(JsonNode entry, String registry) throws IOException {
        String identityToken = entry.path("identitytoken").asText("");
        if (!identityToken.isEmpty()) {
            // What docker login stores for registries that issue OAuth2 refresh tokens (Azure, say); its
            // "auth" then holds a placeholder user, never a password.
            return Optional.of(Credentials.identityToken(entry.path("username").asText(""), identityToken));
        }
        String auth = entry.path("auth").asText("");
        if (!auth.isEmpty()) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(auth.trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new IOException("the Docker config file " + configFile + " has an invalid 'auth' value for " + registry);
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw new IOException("the Docker config file " + configFile + " has an 'auth' value for " + registry + " that is not user:password");
            }
            return Optional.of(new Credentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
        }
        String username = entry.path("username").asText("");
        String password = entry.path("password").asText("");
        return username.isEmpty() ? Optional.empty() : Optional.of(new Credentials(username, password));
    }

    private static Optional<JsonNode> entryFor(JsonNode entries, String registry) {
        String wanted = hostOf(registry);
        for (Iterator<Map.Entry<String, JsonNode>> it = entries.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (hostOf(entry.getKey()).equals(wanted)) {
                return Optional.of(entry.getValue());
            }
        }
        return Optional.empty();
    }

    /** {@code https://index.docker.io/v1/} -> {@code docker.io}; {@code http://h:5000/v2/} -> {@code h:5000}. */
    public static String hostOf(String key) {
        String host = key.trim();
        int scheme = host.indexOf("://");
        if (scheme >= 0) {
            host = host.substring(scheme + 3);
        }
        int slash = host.indexOf('/');
        if (slash >= 0) {
            host = host.substring(0, slash);
        }
        return DockerHubNames.canonicalHost(host.toLowerCase(java.util.Locale.ROOT));
    }

    private static String serverUrl(String registry) {
        return ImageReference.DOCKER_HUB.equals(hostOf(registry)) ? DOCKER_HUB_SERVER : registry;
    }
}
