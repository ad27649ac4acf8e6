package dev.stevedore.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.engine.modules.AssertModule;
import dev.stevedore.engine.modules.DebugModule;
import dev.stevedore.engine.modules.ModuleRegistry;
import dev.stevedore.engine.playbook.Playbook;
import dev.stevedore.engine.playbook.PlaybookParser;
import dev.stevedore.engine.template.FreeMarkerTemplates;
import dev.stevedore.spi.Cancellation;
import dev.stevedore.spi.ExecOptions;
import dev.stevedore.spi.Module;
import dev.stevedore.spi.ModuleResult;
import dev.stevedore.spi.TaskLog;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Register, when, loop, ignore_errors, variable precedence and templating, on real playbooks. */
class PlayRunnerTest {

    private final RecordingModule record = new RecordingModule();
    private final ModuleRegistry modules = ModuleRegistry.of(List.of(record, new DebugModule(), new AssertModule()));
    private final List<TaskOutcome> outcomes = new ArrayList<>();

    private Recap run(String tasksYaml, Map<String, Object> extraVars) throws Exception {
        return run("- hosts: localhost\n  tasks:\n" + tasksYaml.indent(4), extraVars, Cancellation.NEVER);
    }

    private Recap run(String playbookYaml, Map<String, Object> extraVars, Cancellation cancellation) throws Exception {
        Playbook playbook = new PlaybookParser(modules.names()).parse("test.yaml", new StringReader(playbookYaml));
        RunListener listener = new RunListener() {
            @Override
            public void taskFinished(TaskOutcome outcome) {
                outcomes.add(outcome);
            }
        };
        return new PlayRunner(modules, new FreeMarkerTemplates(), TaskLog.NONE, cancellation, listener)
                .run(playbook, extraVars);
    }

    private static Module module(String name, Function<ExecOptions, ModuleResult> body) {
        return new Module() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public ModuleResult execute(ExecOptions options) {
                return body.apply(options);
            }
        };
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @Test
    void registerStoresTheSixKeysAndTheModulesDataWhichNeverShadowsThem() throws Exception {
        run("""
                - record: {changed: true, say: done, data: {images: [a, b], stdout: shadow, failed: shadow}}
                  register: r
                - record: {}
                """, Map.of());
        Map<String, Object> r = map(record.lastVariables().get("r"));
        assertEquals("success", r.get("stdout"));
        assertEquals("done", r.get("stderr"));
        assertEquals("", r.get("error"));
        assertEquals(true, r.get("changed"));
        assertEquals(false, r.get("failed"));
        assertEquals(false, r.get("skipped"));
        assertEquals(List.of("a", "b"), r.get("images"));
        assertEquals(List.of("stdout", "stderr", "error", "changed", "failed", "skipped", "images"), List.copyOf(r.keySet()));
    }

    @Test
    void whenFalseSkipsTheTaskAndRegistersItAsSkipped() throws Exception {
        Recap recap = run("""
                - record: {say: should not run}
                  when: count?number > 5
                  register: r
                - record: {}
                  when: [true, "count?number == 3"]
                """, Map.of("count", "3"));
        assertEquals(1, record.calls().size());
        Map<String, Object> r = map(record.lastVariables().get("r"));
        assertEquals(true, r.get("skipped"));
        assertEquals("skip", r.get("stdout"));
        assertEquals(TaskStatus.SKIPPED, outcomes.get(0).status());
        assertEquals(new Recap(1, 0, 0, 1, 0, false), recap);
    }

    @Test
    void loopRunsOncePerItemAndRegistersResultsWithItemAndAggregates() throws Exception {
        run("""
                - record: {changed: "${item == 'b'}", data: {seen: "${item}"}}
                  loop: "${letters}"
                  register: r
                - record: {}
                """, Map.of("letters", List.of("a", "b", "c")));
        assertEquals(4, record.calls().size());
        assertEquals("b", record.calls().get(1).variables().get("item"));
        Map<String, Object> r = map(record.lastVariables().get("r"));
        assertEquals(true, r.get("changed"));
        assertEquals(false, r.get("failed"));
        List<?> results = (List<?>) r.get("results");
        assertEquals(3, results.size());
        assertEquals("c", map(results.get(2)).get("item"));
        assertEquals("c", map(results.get(2)).get("seen"));
        assertEquals(false, map(results.get(0)).get("changed"));
        assertEquals(true, map(results.get(1)).get("changed"));
        assertEquals(TaskStatus.CHANGED, outcomes.get(0).status());
    }

    @Test
    void whenIsCheckedPerLoopItem() throws Exception {
        run("""
                - record: {}
                  loop: [1, 2, 3, 4]
                  when: item % 2 == 0
                  register: r
                """, Map.of());
        assertEquals(List.of(2, 4), record.calls().stream().map(c -> c.variables().get("item")).toList());
        List<?> results = (List<?>) outcomes.get(0).registered().get("results");
        assertEquals(List.of(true, false, true, false), results.stream().map(x -> map(x).get("skipped")).toList());
    }

    @Test
    void taskVarsAreRenderedPerItemAndMayUseIt() throws Exception {
        run("""
                - record: {}
                  loop: "${images}"
                  vars: {target: "mirror/${item}"}
                """, Map.of("images", List.of("nginx", "alpine")));
        assertEquals(List.of("mirror/nginx", "mirror/alpine"),
                record.calls().stream().map(c -> c.variables().get("target")).toList());
    }

    @Test
    void anUndefinedVariableInPlayVarsStopsTheRunAsAFailure() throws Exception {
        List<String> errors = new ArrayList<>();
        Playbook playbook = new PlaybookParser(modules.names()).parse("t.yaml", new StringReader(
                "- hosts: localhost\n  vars: {a: \"${nope}\"}\n  tasks:\n    - record: {}\n"));
        Recap recap = new PlayRunner(modules, new FreeMarkerTemplates(), TaskLog.NONE, Cancellation.NEVER, new RunListener() {
            @Override
            public void playFailed(dev.stevedore.engine.playbook.Play play, String error) {
                errors.add(error);
            }
        }).run(playbook, Map.of());
        assertEquals(List.of("t.yaml:1:3: vars: undefined variable 'nope'"), errors);
        assertEquals(1, recap.failed());
        assertTrue(record.calls().isEmpty());
    }

    @Test
    void aLoopThatDoesNotRenderToAListFailsTheTaskWithItsLocation() throws Exception {
        Recap recap = run("""
                - record: {}
                  loop: "${name}"
                """, Map.of("name", "not a list"));
        assertEquals(1, recap.failed());
        assertTrue(record.calls().isEmpty());
        assertEquals("test.yaml:3:7: loop must render to a list, got a string (write loop: \"${my_list}\" or a YAML list)",
                outcomes.get(0).items().get(0).result().error());
    }

    @Test
    void aFailedTaskStopsThePlay() throws Exception {
        Recap recap = run("""
                - record: {fail: "registry refused"}
                - record: {say: never}
                """, Map.of());
        assertEquals(1, record.calls().size());
        assertEquals(new Recap(0, 0, 1, 0, 0, false), recap);
        assertFalse(recap.succeeded());
    }

    @Test
    void ignoreErrorsLetsThePlayGoOnAndRegistersTheFailure() throws Exception {
        Recap recap = run("""
                - record: {fail: "registry refused"}
                  ignore_errors: true
                  register: r
                - assert:
                    that: [r.failed, "r.error == 'registry refused'"]
                """, Map.of());
        assertEquals(new Recap(1, 0, 0, 0, 1, false), recap);
        assertTrue(recap.succeeded());
    }

    @Test
    void aLoopWithAFailedItemFailsTheTaskButRunsTheOtherItems() throws Exception {
        Recap recap = run("""
                - record: {fail: "${(item == 2)?then('item 2 broke', '')}"}
                  loop: [1, 2, 3]
                  register: r
                """, Map.of());
        assertEquals(3, record.calls().size());
        assertEquals(1, recap.failed());
        assertEquals(true, outcomes.get(0).registered().get("failed"));
    }

    @Test
    void variablePrecedenceIsPlayThenTaskThenRegisteredThenExtra() throws Exception {
        run("""
                - hosts: localhost
                  vars: {a: play, b: play, c: play, d: play, derived: "${a}-from-play"}
                  tasks:
                    - record: {data: {}}
                      register: c
                    - record: {data: {}}
                      register: d
                    - record: {}
                      vars: {b: task, c: task, d: task, own: "${b}+${derived}"}
                """, Map.of("d", "extra"), Cancellation.NEVER);
        Map<String, Object> seen = record.lastVariables();
        assertEquals("play", seen.get("a"));
        assertEquals("task", seen.get("b"));
        assertEquals("success", map(seen.get("c")).get("stdout"));
        assertEquals("extra", seen.get("d"));
        assertEquals("play-from-play", seen.get("derived"));
        assertEquals("task+play-from-play", seen.get("own"));
    }

    @Test
    void extraVarsAreSeenWhenPlayVarsAreRendered() throws Exception {
        run("""
                - hosts: localhost
                  vars: {who: nobody, greeting: "hi ${who}"}
                  tasks:
                    - record: {}
                """, Map.of("who", "operator"), Cancellation.NEVER);
        assertEquals("hi operator", record.lastVariables().get("greeting"));
    }

    @Test
    void argsReachTheModuleRawAndRenderThroughNestedListsAndMaps() throws Exception {
        run("""
                - record:
                    data:
                      dest: "registry.local/${repo}"
                      auths: [{repo: "${host}", password: "${secret}"}]
                      platforms: "${platforms}"
                      count: 2
                """, Map.of("repo", "library/nginx", "host", "docker.io", "secret", "s3", "platforms", List.of("linux/amd64")));
        assertEquals(Map.of("data", Map.of(
                "dest", "registry.local/${repo}",
                "auths", List.of(Map.of("repo", "${host}", "password", "${secret}")),
                "platforms", "${platforms}",
                "count", 2)), record.last().args());
        Map<String, Object> registered = outcomes.get(0).registered();
        assertEquals("registry.local/library/nginx", registered.get("dest"));
        assertEquals(List.of(Map.of("repo", "docker.io", "password", "s3")), registered.get("auths"));
        assertEquals(List.of("linux/amd64"), registered.get("platforms"));
        assertEquals(2, registered.get("count"));
    }

    @Test
    void theModuleSeesAReadOnlyViewOfTheVariables() throws Exception {
        run("- record: {}\n", Map.of("x", "1"));
        assertThrows(UnsupportedOperationException.class, () -> record.lastVariables().put("y", "2"));
        assertThrows(UnsupportedOperationException.class, () -> record.last().args().put("y", "2"));
        assertEquals("localhost", record.last().host());
    }

    @Test
    void anUndefinedVariableFailsTheTaskWithTheTaskLocationAndTheName() throws Exception {
        Recap recap = run("""
                - record: {}
                - name: uses a typo
                  record: {say: "${imagse}"}
                """, Map.of());
        assertEquals(1, recap.failed());
        assertEquals("test.yaml:4:7: undefined variable 'imagse'", outcomes.get(1).items().get(0).result().error());
    }

    @Test
    void anUndefinedVariableInWhenOrVarsFailsTheTaskToo() throws Exception {
        run("""
                - record: {}
                  when: nothing_here
                  ignore_errors: true
                - record: {}
                  vars: {x: "${nor_here}"}
                """, Map.of());
        assertEquals("test.yaml:3:7: when: undefined variable 'nothing_here'", outcomes.get(0).items().get(0).result().error());
        assertEquals("test.yaml:6:7: undefined variable 'nor_here'", outcomes.get(1).items().get(0).result().error());
    }

    @Test
    void aModuleThatThrowsIsReportedAsAModuleBug() throws Exception {
        ModuleRegistry broken = ModuleRegistry.of(List.of(module("debug", options -> {
            throw new IllegalStateException("boom");
        })));
        Playbook playbook = new PlaybookParser(broken.names()).parse("t.yaml",
                new StringReader("- hosts: localhost\n  tasks:\n    - debug: {}\n"));
        List<TaskOutcome> seen = new ArrayList<>();
        Recap recap = new PlayRunner(broken, new FreeMarkerTemplates(), TaskLog.NONE, Cancellation.NEVER, new RunListener() {
            @Override
            public void taskFinished(TaskOutcome outcome) {
                seen.add(outcome);
            }
        }).run(playbook, Map.of());
        assertEquals(1, recap.failed());
        assertTrue(seen.get(0).items().get(0).result().error().startsWith("module 'debug' crashed (a bug in "),
                seen.get(0).items().get(0).result().error());
    }

    @Test
    void cancellationStopsBeforeTheNextTask() throws Exception {
        CancellationSignal signal = new CancellationSignal();
        List<Boolean> seenByModule = new ArrayList<>();
        signal.onCancel(() -> seenByModule.add(true));
        ModuleRegistry cancelling = ModuleRegistry.of(List.of(module("debug", options -> {
            signal.cancel();
            assertTrue(options.cancellation().isCancelled());
            return ModuleResult.failed("interrupted");
        }), record));
        Playbook playbook = new PlaybookParser(cancelling.names()).parse("t.yaml", new StringReader(
                "- hosts: localhost\n  tasks:\n    - debug: {}\n      ignore_errors: true\n    - record: {}\n"));
        Recap recap = new PlayRunner(cancelling, new FreeMarkerTemplates(), TaskLog.NONE, signal, RunListener.NONE)
                .run(playbook, Map.of());
        assertTrue(recap.cancelled());
        assertFalse(recap.succeeded());
        assertTrue(record.calls().isEmpty());
        assertEquals(List.of(true), seenByModule);
    }

    @Test
    void registeredResultsOutliveTheirPlayButPlayVarsDoNot() throws Exception {
        run("""
                - hosts: localhost
                  vars: {only_first: 1}
                  tasks:
                    - record: {say: first}
                      register: first
                - hosts: localhost
                  tasks:
                    - record: {}
                """, Map.of(), Cancellation.NEVER);
        assertEquals("first", map(record.lastVariables().get("first")).get("stderr"));
        assertFalse(record.lastVariables().containsKey("only_first"));
    }
}
