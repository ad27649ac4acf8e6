package dev.stevedore.image.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.stevedore.engine.testkit.ModuleRun;
import dev.stevedore.engine.testkit.ModuleTestKit;
import dev.stevedore.image.ImageModule;
import dev.stevedore.testsupport.FaultProxy;
import dev.stevedore.testsupport.RecordedRequest;
import dev.stevedore.testsupport.RegistryServer;
import dev.stevedore.testsupport.TokenServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Given a registry with Basic or token auth whose blob downloads are redirected to another origin (as
 * registries do to object storage or a CDN), when the {@code image} module pulls through it with
 * credentials, then the image arrives intact and the other origin never receives an
 * {@code Authorization} header, as that server itself records, while the registry did get the credentials.
 */
class RedirectThroughTheModuleTest {

    private static final Path SAMPLES = Path.of("..", "src", "demo", "sample-images").toAbsolutePath().normalize();
    private static final String USER = "carol";
    private static final String PASSWORD = "redirect-pw-5e6f";

    private final List<String> authorizationsAtTheBlobStore = new CopyOnWriteArrayList<>();
    private TokenServer tokens;
    private RegistryServer registry;
    private FaultProxy proxy;
    private HttpServer blobStore;

    @TempDir
    Path work;

    @BeforeEach
    void startTheBlobStore() throws IOException {
        // Another origin (another port) serving the blobs of the sample images, recording what it is sent.
        blobStore = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        blobStore.createContext("/", exchange -> {
            try (exchange) {
                authorizationsAtTheBlobStore.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
                String path = exchange.getRequestURI().getPath();
                Path blob = SAMPLES.resolve("blobs").resolve(path.substring(path.lastIndexOf('/') + 1));
                if (!path.contains("/blobs/sha256:") || !Files.isRegularFile(blob)) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                exchange.sendResponseHeaders(200, Files.size(blob));
                try (OutputStream out = exchange.getResponseBody()) {
                    Files.copy(blob, out);
                }
            }
        });
        blobStore.start();
    }

    @AfterEach
    void stop() {
        blobStore.stop(0);
        if (proxy != null) {
            proxy.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (tokens != null) {
            tokens.close();
        }
    }

    @ParameterizedTest(name = "{0} auth")
    @ValueSource(strings = {"basic", "token"})
    void authorizationIsNeverSentToTheRedirectTarget(String scheme) throws IOException {
        if (scheme.equals("basic")) {
            registry = RegistryServer.builder().basicAuth(USER, PASSWORD).start();
        } else {
            tokens = TokenServer.builder().user(USER, PASSWORD).start();
            registry = RegistryServer.builder().tokenAuth(tokens).start();
        }
        proxy = FaultProxy.start(registry.baseUri());
        ModuleTestKit kit = ModuleTestKit.of(new ImageModule(new IsolatedTargets(Map.of("HOME", "/nonexistent", "PATH", "/usr/bin:/bin"))))
                .withVariables(Map.of("registry", proxy.hostPort(), "samples", SAMPLES.toString(),
                "user", USER, "password", PASSWORD));
        String auths = "[{registry: \"${registry}\", username: \"${user}\", password: \"${password}\", plain_http: true}]";
        ModuleRun pushed = kit.runYaml("""
                src: "local://${samples}"
                dest: "oci://${registry}/redirect/${module.image.reference.repository}:${module.image.reference.reference}"
                auths: %s
                """.formatted(auths));
        assertEquals("success", pushed.result().stdout(), pushed.result().error());

        URI otherOrigin = URI.create("http://127.0.0.1:" + blobStore.getAddress().getPort());
        proxy.on("GET", ".*/blobs/sha256:.*").always().redirectTo(otherOrigin);
        int before = proxy.requests().size();
        ModuleRun pulled = kit.withVariable("dir", work.toString()).runYaml("""
                manifests: ["${registry}/redirect/library/hello:1.0"]
                dest: "local://${dir}/pulled"
                auths: %s
                """.formatted(auths));

        assertEquals("success", pulled.result().stdout(), pulled.result().error());
        assertFalse(authorizationsAtTheBlobStore.isEmpty(), "the blobs were fetched from the other origin");
        assertTrue(authorizationsAtTheBlobStore.stream().allMatch("null"::equals),
                "Authorization sent to the other origin: " + authorizationsAtTheBlobStore.size() + " requests, values withheld");
        List<RecordedRequest> atTheRegistry = proxy.requests().subList(before, proxy.requests().size());
        assertTrue(atTheRegistry.stream().anyMatch(r -> r.status() == 307 && r.hadAuthorization()),
                "the registry itself got the credentials with the blob request it redirected: " + atTheRegistry);
        try (Stream<Path> blobs = Files.list(work.resolve("pulled/blobs"))) {
            for (Path blob : blobs.toList()) {
                assertArrayEquals(Files.readAllBytes(SAMPLES.resolve("blobs").resolve(blob.getFileName().toString())),
                        Files.readAllBytes(blob), blob.getFileName().toString());
            }
        }
    }
}
