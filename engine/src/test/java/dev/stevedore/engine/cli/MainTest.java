package dev.stevedore.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.engine.modules.DebugModule;
import dev.stevedore.engine.modules.ModuleRegistry;
import dev.stevedore.engine.run.CancellationSignal;
import dev.stevedore.engine.testkit.CliRun;
import dev.stevedore.engine.testkit.PlaybookRunner;
import dev.stevedore.spi.CheckOptions;
import dev.stevedore.spi.ExecOptions;
import dev.stevedore.spi.Module;
import dev.stevedore.spi.ModuleResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stevedore command in-process: exit codes, output, and one-line errors for bad input. */
class MainTest {

    private static final Path HELLO = Path.of("..", "playbooks", "hello.yaml");

    @TempDir
    Path dir;

    private final PlaybookRunner stevedore = PlaybookRunner.withDiscoveredModules();

    private static void assertOneLineError(CliRun run, int exitCode, String expected) {
        assertEquals(exitCode, run.exitCode(), run.toString());
        assertEquals(List.of(expected), run.stderrLines(), run.toString());
    }

    @Test
    void helloPlaybookRunsEndToEndAndPrintsWhatAnOperatorExpects() {
        CliRun run = stevedore.runPlaybook(HELLO);
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals("", run.stderr());
        List<String> lines = run.stdoutLines();
        assertTrue(lines.contains("PLAY [Hello from Stevedore] " + "*".repeat(51)), run.stdout());
        assertTrue(lines.contains("TASK [Say hello] " + "*".repeat(62)), run.stdout());
        assertTrue(lines.contains("ok: Hello, world!"), run.stdout());
        assertTrue(lines.contains("ok (item=registry.k8s.io/pause:3.9): registry.k8s.io/pause:3.9 -> registry.example.com/pause:3.9"),
                run.stdout());
        assertTrue(lines.contains("skipped: when: false"), run.stdout());
        assertTrue(lines.contains("ok: all 3 images renamed"), run.stdout());
        assertEquals("localhost : ok=6 changed=0 failed=0 skipped=1 ignored=0", lines.get(lines.size() - 1));
    }

    @Test
    void theRecapCountsInAsciiDigitsWhateverTheOperatorsLocale() {
        Locale before = Locale.getDefault();
        Locale.setDefault(Locale.forLanguageTag("fa-IR")); // which formats numbers in its own digits: ok=۶
        try {
            CliRun run = stevedore.runPlaybook(HELLO);
            List<String> lines = run.stdoutLines();
            assertEquals("localhost : ok=6 changed=0 failed=0 skipped=1 ignored=0", lines.get(lines.size() - 1), run.toString());
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void aPlaybookPathTheSystemCannotNameIsSaidOnOneLine() {
        assertOneLineError(stevedore.run("run", "play\0book.yaml"), 1,
                "stevedore: the path 'play\0book.yaml' cannot be named on this system (Nul character not allowed)");
    }

    @Test
    void extraVarsWinOverPlayVars() {
        CliRun run = stevedore.runPlaybook(HELLO, "-e", "who=operator");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.stdoutLines().contains("ok: Hello, operator!"), run.stdout());
    }

    @Test
    void extraVarsComeFromFilesAndInlineYamlToo() throws Exception {
        Files.writeString(dir.resolve("vars.yaml"), "who: file\nimages: [a/b:1, c/d:2, e/pause:3.9]\n");
        CliRun fromFile = stevedore.runPlaybook(HELLO, "-e", "@" + dir.resolve("vars.yaml"), "-e", "{\"who\": \"json\"}");
        assertEquals(0, fromFile.exitCode(), fromFile.toString());
        assertTrue(fromFile.stdoutLines().contains("ok: Hello, json!"), fromFile.stdout());
        assertTrue(fromFile.stdoutLines().contains("ok (item=c/d:2): c/d:2 -> registry.example.com/d:2"), fromFile.stdout());
    }

    @Test
    void aFailedTaskExitsWithTwoAndPrintsTheErrorOnStderr() {
        CliRun run = stevedore.runYaml(dir, """
                - hosts: localhost
                  tasks:
                    - assert: {that: [1 == 2], fail_msg: "one is not two"}
                    - debug: {msg: never printed}
                """);
        assertOneLineError(run, 2, "failed: one is not two");
        assertFalse(run.stdout().contains("never printed"));
        assertTrue(run.stdout().endsWith("localhost : ok=0 changed=0 failed=1 skipped=0 ignored=0\n"), run.stdout());
    }

    @Test
    void ignoredFailuresKeepTheExitCodeZero() {
        CliRun run = stevedore.runYaml(dir, """
                - hosts: localhost
                  tasks:
                    - assert: {that: [false]}
                      ignore_errors: true
                    - debug: {msg: still here}
                """);
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals(List.of("failed: assertion failed: false"), run.stderrLines());
        assertTrue(run.stdoutLines().contains("...ignoring"));
        assertTrue(run.stdoutLines().contains("ok: still here"));
        assertTrue(run.stdout().endsWith("localhost : ok=1 changed=0 failed=0 skipped=0 ignored=1\n"), run.stdout());
    }

    @Test
    void anUndefinedVariableIsOneLineWithTheTaskLocation() {
        CliRun run = stevedore.runYaml(dir, """
                - hosts: localhost
                  tasks:
                    - name: typo
                      debug: {msg: "${greetnig}"}
                """);
        assertOneLineError(run, 2, "failed: " + dir.resolve("playbook.yaml") + ":3:7: undefined variable 'greetnig'");
    }

    @Test
    void playbookErrorsAreOneLineOnStderrWithExitCodeOne() {
        String file = dir.resolve("playbook.yaml").toString();
        assertOneLineError(stevedore.runYaml(dir, "- hosts: localhost\n  tasks: [\n"),
                1, file + ":3:1: YAML syntax error: expected the node content, but found '<stream end>' (while parsing a flow node)");
        assertOneLineError(stevedore.runYaml(dir, "- hosts: localhost\n  tasks:\n    - name: x\n"),
                1, file + ":3:7: the task has no module (known modules: assert, debug)");
        assertOneLineError(stevedore.runYaml(dir, "- hosts: localhost\n  tasks:\n    - debug: {}\n      assert: {}\n"),
                1, file + ":4:7: the task has two modules, 'debug' and 'assert'; a task runs exactly one (split it into two tasks)");
        assertOneLineError(stevedore.runYaml(dir, "- hosts: localhost\n  tasks:\n    - image: {}\n"),
                1, file + ":3:7: unknown module 'image' (known modules: assert, debug)");
        assertOneLineError(stevedore.runYaml(dir, "- hosts: localhost\n  tasks:\n    - debug: {}\n      loop: 5\n"),
                1, file + ":4:13: loop must be a list or a template that renders to a list, got a number '5'");
        assertOneLineError(stevedore.runPlaybook(dir.resolve("missing.yaml")),
                1, "playbook not found: " + dir.resolve("missing.yaml"));
    }

    @Test
    void veryVerboseAddsTheStackTrace() {
        CliRun run = stevedore.runYaml(dir, "- hosts: localhost\n  tasks: [\n", "-vv");
        assertEquals(1, run.exitCode());
        assertTrue(run.stderrLines().size() > 1, run.toString());
        assertTrue(run.stderr().contains("\tat "), run.toString());
    }

    @Test
    void usageErrorsAreOneLineWithExitCodeOne() {
        assertOneLineError(stevedore.run(), 1, "stevedore: missing command: run PLAYBOOK, demo, modules or doc MODULE (see stevedore --help)");
        assertOneLineError(stevedore.run("deploy"), 1, "stevedore: unknown command 'deploy' (commands: run, demo, registry, modules, doc) (see stevedore --help)");
        assertOneLineError(stevedore.run("run"), 1, "stevedore: run needs a playbook: stevedore run PLAYBOOK (see stevedore --help)");
        assertOneLineError(stevedore.run("run", "a.yaml", "--force"), 1, "stevedore: unknown option '--force' (see stevedore --help)");
        assertOneLineError(stevedore.run("run", "a.yaml", "-e"), 1,
                "stevedore: -e needs a value: KEY=VALUE, @FILE or a YAML mapping (see stevedore --help)");
        assertOneLineError(stevedore.runPlaybook(HELLO, "-e", "not a pair"), 1,
                "-e expects KEY=VALUE (KEY made of letters, digits and underscores), @FILE or a YAML mapping");
        assertOneLineError(stevedore.runPlaybook(HELLO, "-e", "@" + dir.resolve("none.yaml")), 1,
                "file not found: " + dir.resolve("none.yaml"));
        assertOneLineError(stevedore.run("doc"), 1,
                "stevedore: doc takes one module name: stevedore doc image (stevedore modules lists them) (see stevedore --help)");
        assertOneLineError(stevedore.run("doc", "nope"), 1, "stevedore: unknown module 'nope' (known modules: assert, debug)");
        assertOneLineError(stevedore.run("demo"), 1, "stevedore: demo is a command of the ./stevedore launcher of a source"
                + " checkout (it starts a local registry): run ./stevedore demo there (see stevedore --help)");
    }

    @Test
    void helpListsEveryCommandAndTheExitCodesTheReadmeGives() throws Exception {
        String help = stevedore.run("--help").stdout();
        for (String command : List.of("stevedore run PLAYBOOK", "stevedore demo [--keep]", "stevedore registry start | stop",
                "stevedore modules", "stevedore doc MODULE")) {
            assertTrue(help.contains(command), command + " missing from:\n" + help);
        }
        String exitCodes = help.substring(help.indexOf("Exit status:")).replaceAll("\\s+", " ");
        assertTrue(exitCodes.contains("1 a usage error, or a playbook or argument error found before the first task ran"), exitCodes);
        assertTrue(exitCodes.contains("2 a task failed while running"), exitCodes);
        // The README says the same, so that an operator reading either learns one rule.
        String readme = Files.readString(Path.of("..", "README.md")).replaceAll("\\s+", " ");
        assertTrue(readme.contains("1 a usage error, or a playbook or argument error found before the first task ran"),
                "README.md does not give exit code 1 as --help does");
        assertTrue(readme.contains("2 a task failed while running"), "README.md does not give exit code 2 as --help does");
    }

    @Test
    void docPrintsTheArgumentReferenceOfAModule() {
        CliRun doc = stevedore.run("doc", "debug");
        assertEquals(0, doc.exitCode(), doc.toString());
        assertTrue(doc.stdout().startsWith("debug: print a rendered message (msg) or a variable as JSON (var)\n"), doc.stdout());
        assertTrue(doc.stdoutLines().contains("  msg: string, a template; default \"Hello world!\""), doc.stdout());
        assertTrue(doc.stdoutLines().contains("  var: string"), doc.stdout());
    }

    @Test
    void aMistakeInTheLastTaskStopsTheRunBeforeTheFirstTask() {
        CliRun run = stevedore.runYaml(dir, """
                - hosts: localhost
                  tasks:
                    - debug: {msg: "first task"}
                    - name: last
                      debug: {msg: hi, colour: red}
                """);
        String file = dir.resolve("playbook.yaml").toString();
        assertEquals(1, run.exitCode(), run.toString());
        assertEquals(List.of(file + ":4:7: task 'last': unknown argument 'colour' for module debug (valid arguments: msg, var)",
                "stevedore: 1 problem found before the run; no task was run"), run.stderrLines());
        assertEquals("", run.stdout(), "nothing ran");
    }

    @Test
    void everyProblemOfThePlaybookIsListedAtOnce() {
        CliRun run = stevedore.runYaml(dir, """
                - hosts: localhost
                  vars:
                    broken: "${x"
                  tasks:
                    - debug: {msg: "${1 +}"}
                    - assert: {that: ["a =="]}
                    - debug: {msg: ok}
                      when: "x &&"
                      vars: {fine: "${y}", bad: "<#if>"}
                    - debug: {var: ""}
                """);
        String file = dir.resolve("playbook.yaml").toString();
        assertEquals(1, run.exitCode(), run.toString());
        List<String> lines = run.stderrLines();
        assertEquals(7, lines.size(), run.toString());
        assertTrue(lines.get(0).startsWith(file + ":1:3: vars.broken: template syntax error in '${x'"), lines.get(0));
        assertTrue(lines.get(1).startsWith(file + ":5:7: debug: template syntax error in '${1 +}'"), lines.get(1));
        assertTrue(lines.get(2).startsWith(file + ":6:7: assert that: template syntax error in 'a =='"), lines.get(2));
        assertTrue(lines.get(3).startsWith(file + ":7:7: vars.bad: template syntax error in '<#if>'"), lines.get(3));
        assertTrue(lines.get(4).startsWith(file + ":7:7: when: template syntax error in 'x &&'"), lines.get(4));
        assertEquals(file + ":10:7: debug var must be a variable name, such as var: result", lines.get(5));
        assertEquals("stevedore: 6 problems found before the run; no task was run", lines.get(6));
    }

    @Test
    void aModuleWhoseCheckCrashesIsReportedAsItsBugBeforeTheRun() {
        Module buggy = new Module() {
            @Override
            public String name() {
                return "buggy";
            }

            @Override
            public List<String> check(CheckOptions options) {
                throw new IllegalStateException("oops");
            }

            @Override
            public ModuleResult execute(ExecOptions options) {
                return ModuleResult.success(true);
            }
        };
        CliRun run = PlaybookRunner.withModules(buggy).runYaml(dir, "- hosts: localhost\n  tasks:\n    - buggy: {}\n");
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.stderrLines().get(0).endsWith(":3:7: module 'buggy' crashed checking its arguments (a bug in "
                + buggy.getClass().getName() + "): java.lang.IllegalStateException: oops"), run.toString());
    }

    @Test
    void helpVersionAndModules() {
        CliRun help = stevedore.run("--help");
        assertEquals(0, help.exitCode());
        assertTrue(help.stdout().startsWith("Usage: stevedore run PLAYBOOK"), help.stdout());
        CliRun version = stevedore.run("--version");
        assertEquals(0, version.exitCode());
        assertTrue(version.stdout().matches("stevedore \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\n"
                + "runtime: Java " + Pattern.quote(Runtime.version() + ", " + System.getProperty("java.home")) + "\n"), version.stdout());
        CliRun modules = stevedore.run("modules");
        assertEquals(0, modules.exitCode());
        assertEquals(List.of("assert       check boolean expressions (that), failing with fail_msg",
                "debug        print a rendered message (msg) or a variable as JSON (var)"), modules.stdoutLines());
    }

    @Test
    void twoModulesWithOneNameStopStartUp() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Main main = new Main(() -> ModuleRegistry.of(List.of(new DebugModule(), new DebugModule())),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8), false);
        assertEquals(1, main.run("modules"));
        String name = DebugModule.class.getName();
        assertEquals("two modules are named 'debug': " + name + " and " + name + "; remove one of them from the class path\n",
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void ctrlCCancelsTheRunningModuleAndExitsWith130() {
        CancellationSignal signal = new CancellationSignal();
        Module slow = new Module() {
            @Override
            public String name() {
                return "slow";
            }

            @Override
            public ModuleResult execute(ExecOptions options) {
                signal.cancel(); // what the shutdown hook does on Ctrl-C
                return options.cancellation().isCancelled() ? ModuleResult.failed("cancelled") : ModuleResult.success(true);
            }
        };
        Path playbook = dir.resolve("slow.yaml");
        CliRun run;
        try {
            Files.writeString(playbook, "- hosts: localhost\n  tasks:\n    - slow: {}\n    - debug: {msg: after}\n");
            run = PlaybookRunner.withModules(slow).run(signal, "run", playbook.toString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertEquals(130, run.exitCode(), run.toString());
        assertEquals(List.of("failed: cancelled", "interrupted: the run was cancelled before it finished"), run.stderrLines());
        assertFalse(run.stdout().contains("after"));
    }
}
