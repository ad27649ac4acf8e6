package dev.stevedore.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.engine.testkit.CliRun;
import dev.stevedore.engine.testkit.PlaybookRunner;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A path the system cannot name (here one holding a NUL character; in the field, more often a name outside ASCII
 * under the C locale, LauncherIT) is the operator's to change, not a bug of the module's: it is said so, whether
 * the arguments' check, the task or a command meets it. Nothing here needs a registry: the path fails first.
 */
class UnnameablePathTest {

    @TempDir
    Path work;

    private final PlaybookRunner stevedore = PlaybookRunner.withDiscoveredModules();

    @Test
    void aLiteralPathIsRefusedBeforeTheRun() {
        CliRun run = stevedore.runYaml(work, """
                - hosts: localhost
                  tasks:
                    - image:
                        manifests: ["127.0.0.1:9/library/hello:1.0"]
                        dest: "local:///srv/bun\\0dle"
                """);

        assertNamesThePath(run, 1);
    }

    @Test
    void aRenderedPathFailsItsTaskSayingWhy() {
        CliRun run = stevedore.runYaml(work, """
                - hosts: localhost
                  tasks:
                    - image:
                        manifests: ["127.0.0.1:9/library/hello:1.0"]
                        dest: "local://${bundle}"
                """, "-e", "{\"bundle\": \"/srv/bun\\u0000dle\"}");

        assertNamesThePath(run, 2);
    }

    @Test
    void aCommandSaysItOnOneLine() {
        CliRun run = stevedore.run("verify", "/srv/bun\0dle");

        assertEquals(1, run.exitCode(), run.toString());
        assertEquals("stevedore verify: the path '/srv/bun\0dle' cannot be named on this system (Nul character not allowed)",
                run.stderr().strip());
    }

    private static void assertNamesThePath(CliRun run, int exitCode) {
        assertEquals(exitCode, run.exitCode(), run.toString());
        assertTrue(run.stderr().contains("the path '/srv/bun\0dle' cannot be named on this system (Nul character not allowed)"),
                run.stderr());
        assertFalse(run.stderr().contains("a bug"), run.stderr());
    }
}
