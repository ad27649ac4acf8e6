package dev.stevedore.engine.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.engine.run.CancellationSignal;
import dev.stevedore.spi.ExecOptions;
import dev.stevedore.spi.Module;
import dev.stevedore.spi.ModuleResult;
import dev.stevedore.spi.Progress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModuleTestKitTest {

    /** Renders its {@code dest} per item of {@code manifests}, the way the image module does, and logs. */
    private static final class PerItemModule implements Module {
        final AtomicReference<ExecOptions> seen = new AtomicReference<>();

        @Override
        public String name() {
            return "per_item";
        }

        @Override
        public ModuleResult execute(ExecOptions options) {
            seen.set(options);
            List<?> manifests = (List<?>) options.render(options.args().get("manifests"));
            String dest = (String) options.args().get("dest");
            List<String> rendered = new java.util.ArrayList<>();
            Progress progress = options.log().progress("copy", manifests.size(), 0);
            for (Object manifest : manifests) {
                Map<String, Object> vars = new java.util.HashMap<>(options.variables());
                vars.put("module", Map.of("image", Map.of("reference", Map.of("repository", manifest))));
                String target = options.templates().renderString(dest, vars);
                Progress.Item item = progress.start(String.valueOf(manifest), 10);
                item.transferred(10);
                item.finish("copied to " + target);
                rendered.add(target);
            }
            progress.close();
            options.log().info("done");
            options.log().warn("careful");
            options.log().debug("details");
            return options.cancellation().isCancelled()
                    ? ModuleResult.failed("cancelled")
                    : ModuleResult.success(true, rendered.size() + " copied", Map.of("images", rendered, "changed", "shadow"));
        }
    }

    @Test
    void runsAModuleWithRawArgsRealTemplatesAndCapturedLog() {
        PerItemModule module = new PerItemModule();
        ModuleRun run = ModuleTestKit.of(module)
                .withVariable("registry", "127.0.0.1:5000")
                .withVariables(Map.of("images", List.of("library/nginx", "library/alpine")))
                .runYaml("""
                        manifests: "${images}"
                        dest: "${registry}/mirror/${module.image.reference.repository}"
                        """);
        assertEquals("${registry}/mirror/${module.image.reference.repository}", module.seen.get().args().get("dest"));
        assertEquals("localhost", module.seen.get().host());
        assertEquals(List.of("127.0.0.1:5000/mirror/library/nginx", "127.0.0.1:5000/mirror/library/alpine"),
                run.registered().get("images"));
        assertEquals(true, run.registered().get("changed"), "module data never shadows the six reserved keys");
        assertEquals(List.of(
                "progress copy: 2 items, 0 bytes",
                "start library/nginx: 10 bytes",
                "done library/nginx: copied to 127.0.0.1:5000/mirror/library/nginx, 10 transferred",
                "start library/alpine: 10 bytes",
                "done library/alpine: copied to 127.0.0.1:5000/mirror/library/alpine, 10 transferred",
                "closed copy",
                "info: done", "warn: careful", "debug: details"), run.log());
        assertTrue(run.logContains("mirror/library/alpine"));
        assertFalse(run.failed());
    }

    @Test
    void argsAndVariablesAreReadOnlyAsInTheEngine() {
        PerItemModule module = new PerItemModule();
        ModuleTestKit.of(module).run(Map.of("manifests", List.of(), "dest", "x"));
        assertThrows(UnsupportedOperationException.class, () -> module.seen.get().args().put("k", "v"));
        assertThrows(UnsupportedOperationException.class, () -> module.seen.get().variables().put("k", "v"));
    }

    @Test
    void passesTheGivenCancellation() {
        CancellationSignal signal = new CancellationSignal();
        signal.cancel();
        ModuleRun run = ModuleTestKit.of(new PerItemModule()).withCancellation(signal)
                .run(Map.of("manifests", List.of(), "dest", "x"));
        assertEquals("cancelled", run.result().error());
    }

    @Test
    void playbookRunnerRunsExtraModulesInPlaybooks(@TempDir Path dir) {
        CliRun run = PlaybookRunner.withModules(new PerItemModule()).runYaml(dir, """
                - hosts: localhost
                  tasks:
                    - per_item:
                        manifests: [a, b]
                        dest: "${target}/${module.image.reference.repository}"
                      register: copied
                    - assert:
                        that: ["copied.images?join(',') == 'reg/a,reg/b'", copied.changed]
                """, "-e", "target=reg");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.stdoutLines().contains("changed: 2 copied"), run.stdout());
        assertTrue(run.stdoutLines().stream().anyMatch(line -> line.startsWith("  b: copied to reg/b, 10 B transferred")),
                run.stdout());
    }
}
