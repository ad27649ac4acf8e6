package dev.stevedore.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.engine.testkit.CliRun;
import dev.stevedore.engine.testkit.PlaybookRunner;
import dev.stevedore.spi.ExecOptions;
import dev.stevedore.spi.Module;
import dev.stevedore.spi.ModuleResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stevedore run --check}: every module is told it runs in check mode; a module that does not
 * support it is not run at all (its task is skipped, saying why), as in Ansible; the recap keeps its form
 * and exit codes and says that it was a check run.
 */
class CheckRunTest {

    @TempDir
    Path dir;

    /** Writes the file {@code path} names when run: what a check run must never let happen. */
    private static final class FileWriter implements Module {
        @Override
        public String name() {
            return "write";
        }

        @Override
        public ModuleResult execute(ExecOptions options) {
            try {
                Files.writeString(Path.of(String.valueOf(options.args().get("path"))), "written");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return ModuleResult.success(true);
        }
    }

    /** Supports check mode: records the flag it sees, prints a mapping line and predicts a change. */
    private static final class Planner implements Module {
        final List<Boolean> checkModes = new CopyOnWriteArrayList<>();

        @Override
        public String name() {
            return "plan";
        }

        @Override
        public boolean supportsCheckMode() {
            return true;
        }

        @Override
        public ModuleResult execute(ExecOptions options) {
            checkModes.add(options.checkMode());
            options.log().output("a.example/x:1=b.example/x:1");
            return ModuleResult.success(true, options.checkMode() ? "would copy 1 image" : "copied 1 image",
                    Map.of("check", options.checkMode()));
        }
    }

    private final Planner planner = new Planner();
    private final PlaybookRunner stevedore = PlaybookRunner.withModules(new FileWriter(), planner);

    private String playbook(Path written) {
        return """
                - hosts: localhost
                  tasks:
                    - name: Write a file
                      write: {path: "%s"}
                    - name: Plan
                      plan: {}
                      register: planned
                    - debug: {msg: "check=${planned.check?c}"}
                    - assert: {that: ["planned.changed"]}
                """.formatted(written);
    }

    @Test
    void aCheckRunSkipsModulesWithoutCheckModeAndRunsTheOthersTellingThem() {
        Path written = dir.resolve("written.txt");
        CliRun run = stevedore.runYaml(dir, playbook(written), "--check");
        assertEquals(0, run.exitCode(), run.toString());
        assertFalse(Files.exists(written), "a module without check mode was run in a check run");
        List<String> lines = run.stdoutLines();
        assertTrue(lines.contains("skipped: check mode: module 'write' does not support check mode, so this task was not run"),
                run.stdout());
        assertEquals(List.of(true), planner.checkModes);
        assertTrue(lines.contains("a.example/x:1=b.example/x:1"), "the module's output line is shown at verbosity 0: " + run.stdout());
        assertTrue(lines.contains("changed: would copy 1 image"), run.stdout());
        assertTrue(lines.contains("ok: check=true"), "debug runs in a check run: " + run.stdout());
        assertTrue(lines.contains("ok: all assertions passed"), "assert runs in a check run: " + run.stdout());
        assertEquals("localhost : ok=3 changed=1 failed=0 skipped=1 ignored=0", lines.get(lines.size() - 2));
        assertEquals("check mode: nothing was changed; changed counts the tasks a real run would change", lines.get(lines.size() - 1));
    }

    @Test
    void withoutCheckEveryModuleRunsAndIsToldItIsARealRun() {
        Path written = dir.resolve("written.txt");
        CliRun run = stevedore.runYaml(dir, playbook(written));
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(Files.exists(written));
        assertEquals(List.of(false), planner.checkModes);
        assertTrue(run.stdoutLines().contains("ok: check=false"), run.stdout());
        List<String> lines = run.stdoutLines();
        assertEquals("localhost : ok=4 changed=2 failed=0 skipped=0 ignored=0", lines.get(lines.size() - 1));
    }

    @Test
    void theShortFlagIsTheSameAndAFailureInACheckRunKeepsExitCodeTwo() {
        CliRun run = stevedore.runYaml(dir, """
                - hosts: localhost
                  tasks:
                    - assert: {that: ["1 == 2"], fail_msg: "one is not two"}
                """, "-C");
        assertEquals(2, run.exitCode(), run.toString());
        assertEquals(List.of("failed: one is not two"), run.stderrLines());
        assertTrue(run.stdout().contains("check mode: nothing was changed"), run.stdout());
    }

    @Test
    void checkGoesWithRunOnly() {
        CliRun run = stevedore.run("modules", "--check");
        assertEquals(1, run.exitCode(), run.toString());
        assertEquals(List.of("stevedore: --check goes with run only: stevedore run --check PLAYBOOK (see stevedore --help)"),
                run.stderrLines());
    }

    @Test
    void helpExplainsCheck() {
        String help = stevedore.run("--help").stdout();
        assertTrue(help.contains("Usage: stevedore run PLAYBOOK [--check]"), help);
        assertTrue(help.contains("-C, --check"), help);
    }
}
