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
 * And a task that mixes such a registry with an anonymous, redirected one sends each host only its own.
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

    /**
     * One task pulls from a registry with Docker Hub-style token auth and credentials, and anonymously
     * from a front shaped like registry.k8s.io whose repositories are redirected to a token-auth registry
     * under a path prefix. Each server's log shows only what was meant for it.
     */
    @org.junit.jupiter.api.Test
    void oneTaskMixesACredentialedTokenRegistryAndAnAnonymousRedirectedOne() throws IOException {
        String prefix = "k8s-artifacts-prod/images";
        try (TokenServer hubTokens = TokenServer.builder().user(USER, PASSWORD).start();
             RegistryServer hub = RegistryServer.builder().tokenAuth(hubTokens).start();
             FaultProxy hubLog = FaultProxy.start(hub.baseUri());
             TokenServer k8sTokens = TokenServer.builder().user("promoter", "promoter-pw-77").allowAnonymousPull().start();
             RegistryServer k8s = RegistryServer.builder().tokenAuth(k8sTokens).start();
             FaultProxy k8sLog = FaultProxy.start(k8s.baseUri());
             dev.stevedore.testsupport.PrefixRedirector front = dev.stevedore.testsupport.PrefixRedirector.start(k8sLog.baseUri(), prefix)) {
            ModuleTestKit kit = ModuleTestKit.of(new ImageModule(new IsolatedTargets(Map.of("HOME", "/nonexistent", "PATH", "/usr/bin:/bin")))).withVariables(Map.of("hub", hubLog.hostPort(), "k8s", k8sLog.hostPort(), "front", front.hostPort(),
                    "samples", SAMPLES.toString(), "user", USER, "password", PASSWORD, "dir", work.toString()));
            assertEquals("success", kit.runYaml("""
                    src: "local://${samples}"
                    dest: "oci://${hub}/${module.image.reference.repository}:${module.image.reference.reference}"
                    auths: [{registry: "${hub}", username: "${user}", password: "${password}", plain_http: true}]
                    """).result().stdout());
            assertEquals("success", kit.runYaml("""
                    src: "local://${samples}"
                    dest: "oci://${k8s}/%s/${module.image.reference.repository}:${module.image.reference.reference}"
                    auths: [{registry: "${k8s}", username: promoter, password: promoter-pw-77, plain_http: true}]
                    """.formatted(prefix)).result().stdout());
            int hubFrom = hubLog.requests().size();
            int k8sFrom = k8sLog.requests().size();
            int hubTokensFrom = hubTokens.requests().size();
            int k8sTokensFrom = k8sTokens.requests().size();

            ModuleRun pulled = kit.runYaml("""
                    manifests: ["${hub}/library/hello:1.0", "${front}/library/hello:1.0"]
                    dest: "local://${dir}/mixed"
                    auths:
                      - {registry: "${hub}", username: "${user}", password: "${password}", plain_http: true}
                      - {registry: "${front}", plain_http: true}
                    """);

            assertEquals("success", pulled.result().stdout(), pulled.result().error());
            assertFalse(front.requests().isEmpty());
            front.requests().forEach(r -> assertEquals(null, r.authorization(), "the redirector got " + r));
            assertOnlyTokensOf(hubTokens, hubLog.requests().subList(hubFrom, hubLog.requests().size()));
            assertOnlyTokensOf(k8sTokens, k8sLog.requests().subList(k8sFrom, k8sLog.requests().size()));
            hubTokens.requests().subList(hubTokensFrom, hubTokens.requests().size()).forEach(r -> assertEquals(USER, r.user(), r.toString()));
            List<dev.stevedore.testsupport.RecordedTokenRequest> anonymous = k8sTokens.requests().subList(k8sTokensFrom, k8sTokens.requests().size());
            assertFalse(anonymous.isEmpty());
            anonymous.forEach(r -> assertEquals(null, r.user(), "the hub's credentials reached the other token service: " + r));
            anonymous.forEach(r -> assertTrue(r.scopes().stream().allMatch(scope -> scope.startsWith("repository:" + prefix + "/")), r.toString()));
        }
    }

    private static void assertOnlyTokensOf(TokenServer issuer, List<RecordedRequest> received) {
        assertTrue(received.stream().anyMatch(RecordedRequest::hadAuthorization), received.toString());
        for (RecordedRequest r : received) {
            if (r.hadAuthorization()) {
                assertTrue(r.authorization().startsWith("Bearer ") && issuer.issuedTokens().contains(r.authorization().substring(7)),
                        "a token of another realm, or Basic credentials, reached " + issuer + ": " + r);
            }
        }
    }
}
