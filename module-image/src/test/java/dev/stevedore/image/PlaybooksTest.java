package dev.stevedore.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.engine.testkit.CliRun;
import dev.stevedore.engine.testkit.PlaybookRunner;
import dev.stevedore.testsupport.RegistryServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** Every example playbook of {@code playbooks/} runs against the real registry, the demo first (it seeds it). */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlaybooksTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    static RegistryServer registry;
    static PlaybookRunner runner;
    @TempDir
    static Path work;

    @BeforeAll
    static void start() throws Exception {
        registry = RegistryServer.start();
        runner = PlaybookRunner.withModules(new ImageModule(new RealTargets()));
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    private static CliRun run(String playbook, String... vars) {
        String[] options = new String[vars.length * 2 + 2];
        options[0] = "-e";
        options[1] = "registry=" + registry.hostPort();
        for (int i = 0; i < vars.length; i++) {
            options[2 + 2 * i] = "-e";
            options[3 + 2 * i] = vars[i];
        }
        return runner.runPlaybook(ROOT.resolve("playbooks").resolve(playbook), options);
    }

    @Test
    @Order(1)
    void theDemoPushesPullsOnePlatformAndRepublishes() throws Exception {
        Path demo = Files.createDirectories(work.resolve("demo"));
        CliRun run = run("demo.yaml", "sample_dir=" + ROOT.resolve("src/demo/sample-images"), "work_dir=" + demo);
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.stdout().contains("pushed 3 images"), run.stdout());
        assertTrue(run.stdout().contains("first image now at oci://" + registry.hostPort() + "/demo-arm64/"), run.stdout());
    }

    @Test
    @Order(2)
    void pullThenPushWithPatternAndNamespace() {
        Path bundle = work.resolve("bundle");
        CliRun pull = run("pull.yaml", "bundle=" + bundle);
        assertEquals(0, pull.exitCode(), pull.toString());
        assertTrue(pull.stdout().contains("library/hello:1.0 is sha256:"), pull.stdout());
        CliRun push = run("push.yaml", "bundle=" + bundle);
        assertEquals(0, push.exitCode(), push.toString());
        assertTrue(push.stdout().contains("1 copied"), push.stdout());
    }

    @Test
    @Order(3)
    void copiesInEveryDirection() {
        CliRun run = run("copy.yaml", "work=" + work.resolve("copies"));
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(Files.exists(work.resolve("copies/oci/index.json")));
        assertTrue(Files.isDirectory(work.resolve("copies/amd64-images/blobs")));
        assertTrue(run.stdout().contains("blobs mounted and 0 copied"), run.stdout());
    }
}
