package dev.stevedore.image.reliability;

import static dev.stevedore.image.reliability.TaskArgs.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stevedore.engine.testkit.CliRun;
import dev.stevedore.engine.testkit.ModuleRun;
import dev.stevedore.engine.testkit.ModuleTestKit;
import dev.stevedore.engine.testkit.PlaybookRunner;
import dev.stevedore.image.ImageModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Given a malformed {@code image} task, from generated combinations of valid tasks and bad parts
 * ({@link BadInputCases}), the module rejects it before any I/O: the task fails with one line that names
 * the offending key, value or part, no stack trace; no file is created or touched in the images
 * directory, its parent or the working directory; and no connection is made to the registry, which is a
 * socket counting connections (also the HTTP proxy, so that even a Docker Hub name would be counted).
 * Each case runs through the engine's module test kit and through the {@code stevedore} command line,
 * where every mistake that does not depend on a variable's value or the disk is found by the check of
 * the whole playbook before the first task (exit 1), and the others when the task runs (exit 2).
 */
@Tag("slow")
class BadInputTest {

    private static final Path SAMPLES = Path.of("..", "src", "demo", "sample-images").toAbsolutePath().normalize();
    private static final Path WORKING_DIR = Path.of("").toAbsolutePath();
    private static final Set<String> BUILD_OUTPUT = Set.of("target");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;
    @TempDir
    static Path playbooks;
    static ConnectionCounter registry;
    static ImageModule module;
    static Map<String, String> placeholders;

    @BeforeAll
    static void startTheCountingRegistryAndFillTheBundle() throws IOException {
        registry = ConnectionCounter.start();
        module = new ImageModule(IsolatedTargets.proxiedThrough(registry.hostPort()));
        Path bundle = work.resolve("bundle");
        copyTree(SAMPLES, bundle);
        placeholders = Map.of(TaskArgs.HOST, registry.hostPort(), TaskArgs.IMAGES, work.resolve("images").toString(),
                TaskArgs.BUNDLE, bundle.toString());
    }

    @AfterAll
    static void noConnectionWasEverMade() throws Exception {
        Thread.sleep(200); // a connection still in the accept queue is counted too
        assertEquals(0, registry.accepted(), "connections made to the registry during the bad-input cases");
        registry.close();
    }

    static List<BadInput> cases() {
        return BadInputCases.all();
    }

    @Test
    void theGeneratorsMakeAtLeastTwoHundredDistinctCasesOfEveryFamily() {
        List<BadInput> cases = cases();
        assertTrue(cases.size() >= 200, "only " + cases.size() + " cases");
        assertEquals(cases.size(), cases.stream().map(BadInput::toString).distinct().count(), "duplicate case names");
        for (String family : List.of("reference", "tag", "digest", "platform", "pattern", "template", "shape")) {
            assertTrue(cases.stream().filter(c -> c.family().equals(family)).count() >= 8, family);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isRejectedInOneLineNamingThePartBeforeAnyIo(BadInput input) {
        @SuppressWarnings("unchecked")
        Map<String, Object> args = (Map<String, Object>) TaskArgs.resolve(input.args(), placeholders);
        int connectionsBefore = registry.accepted();
        DirectorySnapshot before = snapshot();

        ModuleRun run = ModuleTestKit.of(module).withVariables(input.variables()).run(args);

        String error = run.result().error();
        assertTrue(run.failed(), "accepted: " + run.result());
        assertOneClearLine(error, input);
        assertEquals(error, run.registered().get("error"), "what register: stores");
        assertNoIo(input, before, connectionsBefore);

        CliRun cli = PlaybookRunner.withModules(module).runYaml(playbooks, playbook(args, input.variables()));
        if (input.whenRun()) {
            assertEquals(2, cli.exitCode(), cli.toString());
            assertEquals(List.of("failed: " + error), cli.stderrLines(), cli.toString());
        } else {
            // Found by the check of the whole playbook, before any task ran: a playbook error.
            assertEquals(1, cli.exitCode(), cli.toString());
            assertEquals(2, cli.stderrLines().size(), cli.toString());
            String problem = cli.stderrLines().get(0);
            assertTrue(problem.startsWith(playbooks.resolve("playbook.yaml") + ":3:7: task 'bad input': image: "), problem);
            assertOneClearLine(problem, input);
            assertEquals("stevedore: 1 problem found before the run; no task was run", cli.stderrLines().get(1));
            assertEquals("", cli.stdout(), "nothing ran, not even the play's header");
        }
        assertFalse(cli.stdout().contains("Exception") || cli.stdout().contains("\tat "), cli.stdout());
        assertNoIo(input, before, connectionsBefore);
    }

    @Test
    void aTypoInTheLastTaskStopsTheRunBeforeTheFirstTaskConnects() throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> pull = (Map<String, Object>) TaskArgs.resolve(TaskArgs.pull(), placeholders);
        @SuppressWarnings("unchecked")
        Map<String, Object> typo = (Map<String, Object>) TaskArgs.resolve(with(TaskArgs.push(), "push.platfrom", "linux/amd64"),
                placeholders);
        int connectionsBefore = registry.accepted();
        DirectorySnapshot before = snapshot();

        CliRun cli = PlaybookRunner.withModules(module).runYaml(playbooks, "- hosts: localhost\n  tasks:\n"
                + "    - name: pull for an hour\n      image: " + JSON.writeValueAsString(pull) + "\n"
                + "    - name: push with a typo\n      image: " + JSON.writeValueAsString(typo) + "\n");

        assertEquals(1, cli.exitCode(), cli.toString());
        assertTrue(cli.stderrLines().get(0).contains(":5:7: task 'push with a typo': image: unknown key 'platfrom' in push"),
                cli.toString());
        assertNoIo(BadInput.of("shape", "typo in the last task", typo), before, connectionsBefore);
    }

    @ParameterizedTest(name = "image: {0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"\"just text\"", "[a, b]", "42", "true"})
    void argumentsThatAreNotAMapAreAPlaybookErrorOnOneLine(String args) {
        DirectorySnapshot before = snapshot();
        CliRun cli = PlaybookRunner.withModules(module).runYaml(playbooks,
                "- hosts: localhost\n  tasks:\n    - name: not a map\n      image: " + args + "\n");
        assertEquals(1, cli.exitCode(), cli.toString());
        assertEquals(1, cli.stderrLines().size(), cli.toString());
        assertTrue(cli.stderr().contains("image"), cli.toString());
        assertEquals(before, snapshot(), "files changed");
    }

    /**
     * The harness itself: each valid task the generators break would reach the registry or write files,
     * so a bad task the module wrongly accepted would be caught.
     */
    @Test
    void theValidTasksTheCasesBreakWouldReachTheRegistryOrWriteFiles() throws Exception {
        try (ConnectionCounter control = ConnectionCounter.start()) {
            ImageModule controlModule = new ImageModule(IsolatedTargets.proxiedThrough(control.hostPort()));
            Map<String, String> controlPlaceholders = new java.util.HashMap<>(placeholders);
            controlPlaceholders.put(TaskArgs.HOST, control.hostPort());
            for (Map<String, Object> valid : List.of(TaskArgs.pull(), TaskArgs.push(), TaskArgs.newer())) {
                @SuppressWarnings("unchecked")
                Map<String, Object> args = (Map<String, Object>) TaskArgs.resolve(valid, controlPlaceholders);
                int connections = control.accepted();
                ModuleRun run = ModuleTestKit.of(controlModule).run(args);
                assertTrue(control.accepted() > connections, "no connection for " + args + ": " + run.result());
            }
            DirectorySnapshot before = snapshot();
            @SuppressWarnings("unchecked")
            Map<String, Object> copy = (Map<String, Object>) TaskArgs.resolve(TaskArgs.copy(), controlPlaceholders);
            ModuleRun copied = ModuleTestKit.of(controlModule).run(copy);
            assertEquals("success", copied.result().stdout(), copied.result().error());
            assertFalse(before.diff(snapshot()).isEmpty(), "the copy wrote nothing");
        } finally {
            deleteTree(work.resolve("images"));
        }
    }

    private static void assertOneClearLine(String error, BadInput input) {
        assertFalse(error.isBlank(), "no error");
        assertFalse(error.contains("\n") || error.contains("\r"), "more than one line:\n" + error);
        assertFalse(error.startsWith("image: image: "), "the module's name twice: " + error);
        assertFalse(error.matches(".*\\b[a-z]+(\\.[a-z]+)+\\.[A-Z]\\w*(Exception|Error)\\b.*"), "a Java exception: " + error);
        for (String mention : input.mentions()) {
            String expected = (String) TaskArgs.resolve(mention, placeholders);
            assertTrue(error.contains(expected), "does not name '" + expected + "': " + error);
        }
    }

    private void assertNoIo(BadInput input, DirectorySnapshot before, int connectionsBefore) {
        DirectorySnapshot after = snapshot();
        assertEquals(before, after, input + " changed files:" + before.diff(after));
        assertEquals(connectionsBefore, registry.accepted(), input + " connected to the registry");
    }

    private static DirectorySnapshot snapshot() {
        return DirectorySnapshot.of(BUILD_OUTPUT, work.resolve("images"), work, WORKING_DIR);
    }

    /** The task as a playbook; JSON is YAML, so the arguments go in exactly as the kit got them. */
    private static String playbook(Map<String, Object> args, Map<String, Object> variables) {
        try {
            return "- hosts: localhost\n"
                    + (variables.isEmpty() ? "" : "  vars: " + JSON.writeValueAsString(variables) + "\n")
                    + "  tasks:\n    - name: bad input\n      image: " + JSON.writeValueAsString(args) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
