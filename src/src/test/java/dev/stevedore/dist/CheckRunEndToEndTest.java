package dev.stevedore.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.engine.testkit.CliRun;
import dev.stevedore.engine.testkit.PlaybookRunner;
import dev.stevedore.testsupport.RegistryServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stevedore run --check} end to end, with the modules the CLI discovers, against the real registry:
 * a pull playbook prints one {@code source=destination} line per image on stdout at the default verbosity,
 * reports the task as changed because a real run would copy, says in the recap that it was a check run,
 * exits 0, and creates no directory; the same playbook without {@code --check} then pulls.
 */
class CheckRunEndToEndTest {

    private static final Path SAMPLES = Path.of("..", "src", "demo", "sample-images").toAbsolutePath().normalize();

    @TempDir
    Path work;

    @Test
    void aCheckRunPrintsTheMappingAndWritesNothing() throws Exception {
        try (RegistryServer registry = RegistryServer.start()) {
            PlaybookRunner stevedore = PlaybookRunner.withDiscoveredModules();
            CliRun pushed = stevedore.runYaml(work, """
                    - hosts: localhost
                      tasks:
                        - image:
                            src: "local://%s"
                            dest: "oci://%s/${module.image.reference.repository}:${module.image.reference.reference}"
                            auths: [{registry: "%s", plain_http: true}]
                    """.formatted(SAMPLES, registry.hostPort(), registry.hostPort()));
            assertEquals(0, pushed.exitCode(), pushed.toString());

            Path bundle = work.resolve("bundle");
            String pull = """
                    - hosts: localhost
                      tasks:
                        - name: Pull
                          image:
                            manifests: ["%1$s/library/hello:1.0", "%1$s/tools/toolbox:2.1"]
                            dest: "local://%2$s"
                            auths: [{registry: "%1$s", plain_http: true}]
                          register: pulled
                        - debug: {msg: "check=${(pulled.check!false)?c} images=${(pulled.mapping![])?size}"}
                    """.formatted(registry.hostPort(), bundle);

            CliRun checked = stevedore.runYaml(work, pull, "--check");

            assertEquals(0, checked.exitCode(), checked.toString());
            assertFalse(Files.exists(bundle), "a check run created the images directory");
            List<String> lines = checked.stdoutLines();
            List<String> mapping = lines.stream().filter(line -> line.contains("=local://")).toList();
            assertEquals(2, mapping.size(), checked.stdout());
            assertTrue(mapping.get(0).matches("oci://" + registry.hostPort() + "/library/hello:1\\.0@sha256:[0-9a-f]{64}=local://"
                    + bundle + "#" + registry.hostPort() + "/library/hello:1\\.0"), mapping.get(0));
            assertTrue(lines.stream().anyMatch(line -> line.startsWith("changed: check mode: 2 images: 2 to copy; blobs: ")), checked.stdout());
            assertTrue(lines.contains("ok: check=true images=2"), checked.stdout());
            assertEquals("localhost : ok=2 changed=1 failed=0 skipped=0 ignored=0", lines.get(lines.size() - 2));
            assertEquals("check mode: nothing was changed; changed counts the tasks a real run would change", lines.get(lines.size() - 1));

            CliRun real = stevedore.runYaml(work, pull);

            assertEquals(0, real.exitCode(), real.toString());
            assertTrue(Files.isDirectory(bundle), real.stdout());
            assertTrue(real.stdoutLines().contains("ok: check=false images=0"), real.stdout());
        }
    }
}
