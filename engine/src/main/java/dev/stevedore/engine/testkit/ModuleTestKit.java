package dev.stevedore.engine.testkit;

import dev.stevedore.engine.playbook.PlaybookException;
import dev.stevedore.engine.playbook.YamlDocuments;
import dev.stevedore.engine.run.ItemResult;
import dev.stevedore.engine.template.FreeMarkerTemplates;
import dev.stevedore.engine.value.JsonValues;
import dev.stevedore.spi.Cancellation;
import dev.stevedore.spi.ExecOptions;
import dev.stevedore.spi.Module;
import dev.stevedore.spi.ModuleResult;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs one {@link Module} the way the engine does (raw arguments, the real FreeMarker templates, a
 * read-only variable view, host {@code localhost}) without a playbook, and returns its result and
 * log. Immutable: {@code with...} methods return a new kit.
 *
 * <pre>{@code
 * ModuleRun run = ModuleTestKit.of(new ImageModule())
 *         .withVariable("registry", server.hostPort())
 *         .runYaml("""
 *             manifests: [busybox:1.36]
 *             src: "oci://${registry}/${module.image.reference.repository}:${module.image.reference.reference}"
 *             dest: "local:///tmp/images"
 *             """);
 * assertFalse(run.failed(), run.result().error());
 * }</pre>
 */
public final class ModuleTestKit {

    private final Module module;
    private final Map<String, Object> variables;
    private final Cancellation cancellation;
    private final boolean checkMode;

    private ModuleTestKit(Module module, Map<String, Object> variables, Cancellation cancellation, boolean checkMode) {
        this.module = module;
        this.variables = variables;
        this.cancellation = cancellation;
        this.checkMode = checkMode;
    }

    public static ModuleTestKit of(Module module) {
        return new ModuleTestKit(module, Map.of(), Cancellation.NEVER, false);
    }

    /** Adds variables (JSON-like values; later calls win on equal names). */
    public ModuleTestKit withVariables(Map<String, ?> more) {
        Map<String, Object> merged = new LinkedHashMap<>(variables);
        merged.putAll(more);
        return new ModuleTestKit(module, JsonValues.immutableMap(merged), cancellation, checkMode);
    }

    public ModuleTestKit withVariable(String name, Object value) {
        Map<String, Object> one = new LinkedHashMap<>();
        one.put(name, value);
        return withVariables(one);
    }

    /** The cancellation the module sees (for example a {@code CancellationSignal} a test triggers). */
    public ModuleTestKit withCancellation(Cancellation cancellation) {
        return new ModuleTestKit(module, variables, cancellation, checkMode);
    }

    /**
     * Runs the module as in a check run ({@code stevedore run --check}). Unlike the engine, which skips a
     * module that does not {@linkplain Module#supportsCheckMode() support} check mode, the kit runs it
     * anyway, so that a module author can see what it does; assert on {@code supportsCheckMode()} apart.
     */
    public ModuleTestKit inCheckMode() {
        return new ModuleTestKit(module, variables, cancellation, true);
    }

    /** Runs the module with these arguments (deep-copied, immutable, as the engine passes them). */
    public ModuleRun run(Map<String, ?> args) {
        RecordingTaskLog log = new RecordingTaskLog();
        ExecOptions options = new ExecOptions(JsonValues.immutableMap(args), "localhost", variables,
                new FreeMarkerTemplates(), log, cancellation, checkMode);
        ModuleResult result = module.execute(options);
        return new ModuleRun(result, log.lines(), ItemResult.single(result).registered());
    }

    /** Runs the module with arguments written as the YAML mapping a playbook would hold under its key. */
    public ModuleRun runYaml(String argsYaml) {
        Object args;
        try {
            args = YamlDocuments.load("args", argsYaml);
        } catch (PlaybookException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (args != null && !(args instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("module arguments must be a YAML mapping, got " + JsonValues.typeName(args));
        }
        @SuppressWarnings("unchecked")
        Map<String, ?> map = args == null ? Map.of() : (Map<String, ?>) args;
        return run(map);
    }
}
