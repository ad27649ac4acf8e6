package dev.stevedore.image.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.engine.testkit.ModuleRun;
import dev.stevedore.engine.testkit.ModuleTestKit;
import dev.stevedore.image.ImageModule;
import dev.stevedore.testsupport.FaultProxy;
import dev.stevedore.testsupport.RegistryServer;
import dev.stevedore.testsupport.TokenServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code -v} shows of each image (its plan, then what was copied, skipped and mounted) and what
 * {@code -vv} shows of the registry conversation (the module's debug lines): every request with
 * method, URL without its query, status, bytes, duration and attempt; token requests with realm and
 * scope; mount attempts; retries with their reason. No token or password, and no signed query string.
 */
class VerboseRequestLogTest {

    private static final Path SAMPLES = Path.of("..", "src", "demo", "sample-images").toAbsolutePath().normalize();

    @TempDir
    Path work;

    @Test
    void debugLinesShowEachRequestTokenRequestMountAndRetryWithoutSecrets() throws Exception {
        try (TokenServer tokens = TokenServer.builder().user("vera", "verbose-pw-3141").start();
             RegistryServer registry = RegistryServer.builder().tokenAuth(tokens).start();
             FaultProxy proxy = FaultProxy.start(registry.baseUri())) {
            ModuleTestKit kit = ModuleTestKit.of(new ImageModule(new IsolatedTargetsWithRetries()))
                    .withVariables(Map.of("registry", proxy.hostPort(), "samples", SAMPLES.toString(), "dir", work.toString()));
            String auths = "[{registry: \"${registry}\", username: vera, password: verbose-pw-3141, plain_http: true}]";
            assertEquals("success", kit.runYaml("""
                    src: "local://${samples}"
                    dest: "oci://${registry}/first/${module.image.reference.repository}:${module.image.reference.reference}"
                    auths: %s
                    """.formatted(auths)).result().stdout());
            proxy.on("GET", ".*/manifests/.*").respond(503, Map.of(), "");
            ModuleRun copied = kit.runYaml("""
                    manifests: ["${registry}/first/library/hello:1.0"]
                    dest: "oci://${registry}/second/${module.image.reference.repository}:${module.image.reference.reference}"
                    auths: %s
                    """.formatted(auths));
            assertEquals("success", copied.result().stdout(), copied.result().error());

            List<String> debug = copied.log().stream().filter(line -> line.startsWith("debug: ")).toList();
            String registryUrl = "http://" + proxy.hostPort() + "/v2/";
            assertTrue(debug.stream().anyMatch(l -> l.matches("debug: HTTP GET \\Q" + registryUrl + "first/library/hello/manifests/1.0\\E -> 200, .+ ms, attempt 2")),
                    "the manifest GET after the 503, with its attempt: " + debug);
            assertTrue(debug.stream().anyMatch(l -> l.contains("HTTP GET " + registryUrl + "first/library/hello/manifests/1.0 -> 503")), debug.toString());
            assertTrue(debug.stream().anyMatch(l -> l.matches("debug: HTTP POST \\Q" + registryUrl + "second/first/library/hello/blobs/uploads/?…\\E -> 201, .*")),
                    "the mount's POST, its query withheld: " + debug);
            assertTrue(debug.stream().anyMatch(l -> l.startsWith("debug: token for " + proxy.hostPort() + " from " + tokens.realm()
                    + " for repository:second/first/library/hello:pull,push repository:first/library/hello:pull")), debug.toString());
            assertTrue(debug.stream().anyMatch(l -> l.contains("mount ") && l.endsWith(": mounted")), debug.toString());
            assertTrue(copied.log().stream().anyMatch(l -> l.startsWith("warn: registry " + proxy.hostPort() + ": HTTP 503, attempt 2 of ")),
                    "the retry announced with its reason: " + copied.log());

            // -v: the image's plan before its transfers, and what they did.
            assertTrue(copied.log().stream().anyMatch(l -> l.matches("info: plan oci://\\Q" + proxy.hostPort()
                    + "/first/library/hello:1.0\\E -> .*: \\d+ blobs? \\(.+\\), \\d+ child manifests.*")), copied.log().toString());
            assertTrue(copied.log().stream().anyMatch(l -> l.matches("info: oci://.* -> .*: 0 blobs copied \\(0 B\\), 0 already there, [1-9]\\d* mounted")),
                    "every blob mounted from the first repository: " + copied.log());

            SecretScan scan = SecretScan.of("vera", "verbose-pw-3141").withTokens(tokens.issuedTokens());
            assertEquals(List.of(), scan.findIn("log", String.join("\n", copied.log())));
            assertFalse(copied.log().stream().anyMatch(l -> l.contains("_state=")), "no upload state token from the query");
        }
    }

    /** Isolated from the machine, with the default retries so a 503 is retried. */
    record IsolatedTargetsWithRetries() implements dev.stevedore.image.TargetProvider {
        @Override
        public dev.stevedore.image.target.ImageTarget registries(dev.stevedore.image.registry.RegistrySettings s) throws java.io.IOException {
            return new UnreachableRegistryTest.DefaultsWithoutProxy().registries(s);
        }

        @Override
        public dev.stevedore.image.target.ImageTarget directory(dev.stevedore.image.copy.Location.Kind kind, Path path,
                                                               dev.stevedore.image.store.StoreOptions options) throws java.io.IOException {
            return new UnreachableRegistryTest.DefaultsWithoutProxy().directory(kind, path, options);
        }
    }
}
