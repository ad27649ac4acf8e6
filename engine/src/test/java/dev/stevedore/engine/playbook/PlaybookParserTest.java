package dev.stevedore.engine.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlaybookParserTest {

    private final PlaybookParser parser = new PlaybookParser(List.of("debug", "assert", "image"));

    private Playbook parse(String yaml) throws PlaybookException {
        return parser.parse("playbook.yaml", new StringReader(yaml));
    }

    private String error(String yaml) {
        PlaybookException e = assertThrows(PlaybookException.class, () -> parse(yaml));
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void readsPlaysAndTasksWithEveryKey() throws PlaybookException {
        Playbook playbook = parse("""
                - name: First
                  hosts: localhost
                  vars: {greeting: hello, count: 3}
                  tasks:
                    - name: Say it
                      debug: {msg: "${greeting}"}
                      register: said
                      when: count > 2
                      loop: [a, b]
                      ignore_errors: true
                      vars: {local: 1}
                    - assert:
                        that: said.msg == "hello"
                """);
        Play play = playbook.plays().get(0);
        assertEquals("First", play.name());
        assertEquals("localhost", play.hosts());
        assertEquals(Map.of("greeting", "hello", "count", 3), play.vars());
        assertEquals(new Location("playbook.yaml", 1, 3), play.location());
        Task task = play.tasks().get(0);
        assertEquals("Say it", task.name());
        assertEquals("debug", task.module());
        assertEquals(Map.of("msg", "${greeting}"), task.args());
        assertEquals("said", task.register());
        assertEquals(List.of("count > 2"), task.when());
        assertEquals(List.of("a", "b"), task.loop());
        assertTrue(task.ignoreErrors());
        assertEquals(Map.of("local", 1), task.vars());
        assertEquals(new Location("playbook.yaml", 5, 7), task.location());
        Task unnamed = play.tasks().get(1);
        assertEquals("assert", unnamed.name());
        assertNull(unnamed.register());
        assertNull(unnamed.loop());
        assertFalse(unnamed.ignoreErrors());
    }

    @Test
    void aModuleWithoutArgumentsGetsAnEmptyMapAndATemplatedLoopStaysAString() throws PlaybookException {
        Task task = parse("""
                - hosts: localhost
                  tasks:
                    - debug:
                      loop: "${images}"
                """).plays().get(0).tasks().get(0);
        assertEquals(Map.of(), task.args());
        assertEquals("${images}", task.loop());
    }

    @Test
    void aMisspelledTaskKeyIsNamedWithItsLocationAndTheValidKeys() {
        assertEquals("playbook.yaml:5:7: unknown task key 'regsiter' (valid keys: name, register, when, loop,"
                + " ignore_errors, vars, and one module: assert, debug, image)", error("""
                - hosts: localhost
                  tasks:
                    - debug: {msg: hi}
                      name: x
                      regsiter: result
                """));
    }

    @Test
    void anUnknownModuleListsTheKnownOnes() {
        assertEquals("playbook.yaml:4:7: unknown module 'copy' (known modules: assert, debug, image)", error("""
                - hosts: localhost
                  tasks:
                    - name: Copy
                      copy: {src: a, dest: b}
                """));
    }

    @Test
    void aTaskWithoutModuleIsAnError() {
        assertEquals("playbook.yaml:3:7: the task has no module (known modules: assert, debug, image)", error("""
                - hosts: localhost
                  tasks:
                    - name: Nothing to do
                      register: r
                """));
    }

    @Test
    void aTaskWithTwoModulesIsAnError() {
        assertEquals("playbook.yaml:4:7: the task has two modules, 'debug' and 'assert'; a task runs exactly one"
                + " (split it into two tasks)", error("""
                - hosts: localhost
                  tasks:
                    - debug: {msg: hi}
                      assert: {that: [true]}
                """));
    }

    @Test
    void wrongTypesForTaskKeysAreErrorsWithLocation() {
        assertEquals("playbook.yaml:4:22: ignore_errors must be true or false, got a string 'maybe'",
                error(task("ignore_errors: maybe")));
        assertEquals("playbook.yaml:4:17: register must be a variable name (letters, digits and underscores), got 'my-result'",
                error(task("register: my-result")));
        assertEquals("playbook.yaml:4:13: the task's vars must be a mapping, got a list",
                error(task("vars: [a, b]")));
        assertEquals("playbook.yaml:4:13: loop must be a list or a template that renders to a list, got a number '3'",
                error(task("loop: 3")));
        assertEquals("playbook.yaml:4:13: when must be an expression, true/false, or a list of them, got a mapping",
                error(task("when: {a: b}")));
        assertEquals("playbook.yaml:4:13: the task's name must be a string, got a list", error(task("name: [a]")));
        assertEquals("playbook.yaml:3:14: the arguments of module 'debug' must be a mapping, got a string 'hello'",
                error("""
                - hosts: localhost
                  tasks:
                    - debug: hello
                """));
    }

    private static String task(String extraLine) {
        return """
                - hosts: localhost
                  tasks:
                    - debug: {msg: hi}
                      %s
                """.formatted(extraLine);
    }

    @Test
    void onlyLocalhostIsAccepted() {
        assertEquals("playbook.yaml:1:10: hosts 'web1' is not supported: Stevedore runs tasks on localhost only"
                + " (use hosts: localhost)", error("- hosts: web1\n  tasks: []\n"));
        assertEquals("playbook.yaml:1:3: the play has no 'hosts' key (add hosts: localhost)", error("- tasks: []\n"));
    }

    @Test
    void playsRejectUnknownKeysAndDuplicateKeys() {
        assertEquals("playbook.yaml:2:3: unknown play key 'gather_facts' (valid keys: name, hosts, vars, tasks)",
                error("- hosts: localhost\n  gather_facts: false\n"));
        assertEquals("playbook.yaml:4:7: duplicate key 'name' in a task",
                error("- hosts: localhost\n  tasks:\n    - name: a\n      name: b\n      debug: {}\n"));
    }

    @Test
    void yamlSyntaxErrorsGiveLineAndColumnOnOneLine() {
        String message = error("""
                - hosts: localhost
                  tasks:
                    - debug: {msg: "unterminated}
                """);
        assertTrue(message.startsWith("playbook.yaml:4:1: YAML syntax error: found unexpected end of stream"), message);
        String mapping = error("- hosts: localhost\n  tasks: x: y\n");
        assertTrue(mapping.startsWith("playbook.yaml:2:11: YAML syntax error: mapping values are not allowed here"), mapping);
    }

    @Test
    void thePlaybookMustBeAListOfPlays() {
        assertEquals("playbook.yaml:1:1: the playbook is empty: expected a list of plays", error(""));
        assertEquals("playbook.yaml:1:1: a playbook must be a list, got a mapping", error("hosts: localhost\n"));
    }

    @Test
    void aMissingPlaybookFileIsNamed(@TempDir Path dir) {
        PlaybookException e = assertThrows(PlaybookException.class, () -> parser.parse(dir.resolve("nope.yaml")));
        assertEquals("playbook not found: " + dir.resolve("nope.yaml"), e.getMessage());
    }

    @Test
    void aFileIsLabelledWithItsPath(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("site.yaml");
        Files.writeString(file, "- hosts: localhost\n  tasks:\n    - debgu: {}\n      debug: {}\n");
        PlaybookException e = assertThrows(PlaybookException.class, () -> parser.parse(file));
        assertTrue(e.getMessage().startsWith(file + ":3:7: unknown task key 'debgu'"), e.getMessage());
    }
}
