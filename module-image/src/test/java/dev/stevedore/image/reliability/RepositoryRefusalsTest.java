package dev.stevedore.image.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.engine.testkit.ModuleRun;
import dev.stevedore.engine.testkit.ModuleTestKit;
import dev.stevedore.image.ImageModule;
import dev.stevedore.testsupport.FaultProxy;
import dev.stevedore.testsupport.RecordedRequest;
import dev.stevedore.testsupport.RegistryServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Given the real registry behind a proxy that answers pushes the way other registries refuse a
 * repository, with their documented bodies, when the module pushes an image there, then the task fails
 * at once (nothing retried, no tag) with an error that names the repository and says what to do:
 * <ul>
 *   <li>Amazon ECR, for a repository nobody created: 404 {@code NAME_UNKNOWN} "The repository with name
 *       'x' does not exist in the registry with id '...'";</li>
 *   <li>Quay's and Distribution's {@code NAME_INVALID} ("invalid repository name", Quay's
 *       {@code endpoints/v2/errors.py}) for a path deeper than the registry allows, on the push and on
 *       the GET that follows a bodiless refusal of the HEAD;</li>
 *   <li>a bare 404 to a push into a deep path, as Quay without extended names answers it (no route).</li>
 * </ul>
 */
class RepositoryRefusalsTest {

    private static final Path SAMPLES = Path.of("..", "src", "demo", "sample-images").toAbsolutePath().normalize();
    private static final Map<String, String> JSON = Map.of("Content-Type", "application/json; charset=utf-8");

    static RegistryServer registry;
    FaultProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        registry = RegistryServer.start();
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @BeforeEach
    void startTheProxy() throws Exception {
        proxy = FaultProxy.start(registry.baseUri());
    }

    @AfterEach
    void stopTheProxy() {
        proxy.close();
    }

    private ModuleRun push(String destPath) {
        return ModuleTestKit.of(new ImageModule(new IsolatedTargets(Map.of("HOME", "/nonexistent"))))
                .withVariables(Map.of("samples", SAMPLES.toString(), "registry", proxy.hostPort(), "path", destPath))
                .runYaml("""
                        src: "local://${samples}"
                        pattern: "library/static"
                        dest: "oci://${registry}/${path}:${module.image.reference.reference}"
                        auths: [{registry: "${registry}", plain_http: true}]
                        """);
    }

    private long tagsPushed() {
        return proxy.requests().stream().filter(r -> r.method().equals("PUT") && r.path().contains("/manifests/") && r.status() == 201).count();
    }

    @Test
    void ecrsRepositoryThatDoesNotExistIsNamedWithHowToCreateIt() {
        proxy.on("POST", ".*/blobs/uploads/").always().respond(404, JSON, "{\"errors\":[{\"code\":\"NAME_UNKNOWN\",\"message\":"
                + "\"The repository with name 'ecr/static' does not exist in the registry with id '123456789012'\"}]}");

        ModuleRun run = push("ecr/static");

        assertTrue(run.failed(), run.result().toString());
        String error = run.result().error();
        assertTrue(error.contains("registry " + proxy.hostPort() + " has no repository ecr/static and does not create one on push"), error);
        assertTrue(error.contains("push blob sha256:") && error.contains(proxy.hostPort() + "/ecr/static"), "names the image: " + error);
        assertTrue(error.contains("aws ecr create-repository --repository-name ecr/static"), error);
        List<RecordedRequest> uploads = proxy.requests().stream().filter(r -> r.method().equals("POST")).toList();
        long blobs = proxy.requests().stream().filter(r -> r.method().equals("HEAD") && r.path().contains("/blobs/")).count();
        assertEquals(blobs, uploads.size(), "one refused POST per blob, not retried: " + proxy.requests());
        assertEquals(0, tagsPushed());
    }

    @Test
    void nameUnknownOnAPushFromAnotherRegistrySaysTheRepositoryMustBeCreated() {
        proxy.on("PUT", ".*/manifests/.*").always().respond(404, JSON,
                "{\"errors\":[{\"code\":\"NAME_UNKNOWN\",\"message\":\"repository name not known to registry\",\"detail\":{}}]}");

        String error = push("elsewhere/static").result().error();

        assertTrue(error.contains("has no repository elsewhere/static and does not create one on push"), error);
        assertTrue(error.contains("registries such as Amazon ECR need each repository created before its first push"), error);
    }

    @Test
    void aNameTooDeepForTheRegistryPointsAtNamespaceOverrideAndTheDestTemplate() {
        proxy.on("POST", ".*/blobs/uploads/").always().respond(400, JSON,
                "{\"errors\":[{\"code\":\"NAME_INVALID\",\"message\":\"invalid repository name\",\"detail\":{}}]}");

        ModuleRun run = push("org/team/tools/static");

        String error = run.result().error();
        assertTrue(error.contains("registry " + proxy.hostPort() + " refused the repository name org/team/tools/static"
                + " (HTTP 400, registry says: NAME_INVALID: invalid repository name)"), error);
        assertTrue(error.contains("org/team/tools/static has 4 components"), error);
        assertTrue(error.contains("namespace_override") && error.contains("dest template"), error);
        assertEquals(0, tagsPushed());
    }

    @Test
    void aRefusedHeadIsAskedAgainWithGetToLearnWhy() {
        proxy.on("HEAD", ".*/manifests/.*").always().respond(400, Map.of(), "");
        proxy.on("GET", ".*/manifests/.*").always().respond(400, JSON,
                "{\"errors\":[{\"code\":\"NAME_INVALID\",\"message\":\"invalid repository name\",\"detail\":{}}]}");

        String error = push("org/team/tools/static").result().error();

        assertTrue(error.contains("refused the repository name org/team/tools/static"), error);
        assertTrue(proxy.requests().stream().noneMatch(r -> r.method().equals("POST")), "refused before any upload");
    }

    @Test
    void aBareNotFoundToAPushIntoADeepPathIsReadAsTheRegistrysLimit() {
        proxy.on("POST", ".*/blobs/uploads/").always().respond(404, Map.of("Content-Type", "text/html"),
                "<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>");

        String error = push("org/elsewhere/static").result().error();

        assertTrue(error.contains("does not know repository org/elsewhere/static and answered a push into it with HTTP 404"), error);
        assertTrue(error.contains("namespace_override") && error.contains("create it first"), error);
    }
}
