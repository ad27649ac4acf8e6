package dev.stevedore.engine.run;

import dev.stevedore.engine.modules.ModuleRegistry;
import dev.stevedore.engine.playbook.Task;
import dev.stevedore.engine.value.JsonValues;
import dev.stevedore.spi.Cancellation;
import dev.stevedore.spi.ExecOptions;
import dev.stevedore.spi.Module;
import dev.stevedore.spi.ModuleResult;
import dev.stevedore.spi.TaskLog;
import dev.stevedore.spi.TemplateException;
import dev.stevedore.spi.Templates;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs one task: renders its {@code vars} and {@code loop}, checks {@code when} (per item), hands the
 * raw arguments to the module and turns what happens into an {@link ItemResult}. Template errors are
 * reported with the task's location; a module that throws is reported as a module bug.
 */
public final class TaskRunner {

    private final DebugLog debug;
    static final String HOST = "localhost";

    private final ModuleRegistry modules;
    private final Templates templates;
    private final TaskLog log;
    private final Cancellation cancellation;
    private final RunListener listener;
    private final boolean checkMode;

    public TaskRunner(ModuleRegistry modules, Templates templates, TaskLog log, Cancellation cancellation, RunListener listener,
                      DebugLog debug) {
        this(modules, templates, log, cancellation, listener, debug, false);
    }

    /** @param checkMode a check run ({@code --check}): modules that cannot run in one are skipped */
    public TaskRunner(ModuleRegistry modules, Templates templates, TaskLog log, Cancellation cancellation, RunListener listener,
                      DebugLog debug, boolean checkMode) {
        this.checkMode = checkMode;
        this.debug = debug;
        this.modules = modules;
        this.templates = templates;
        this.log = log;
        this.cancellation = cancellation;
        this.listener = listener;
    }

    public TaskOutcome run(Task task, VariableScope scope) {
        if (task.loop() == null) {
            return new TaskOutcome(task, List.of(ItemResult.single(runOnce(task, scope, Map.of()))), false);
        }
        List<?> items;
        try {
            items = loopItems(task, scope);
        } catch (TaskFailure e) {
            return new TaskOutcome(task, List.of(ItemResult.single(ModuleResult.failed(e.getMessage()))), true);
        }
        List<ItemResult> results = new ArrayList<>();
        for (Object item : items) {
            if (cancellation.isCancelled()) {
                break;
            }
            Map<String, Object> loopVars = new LinkedHashMap<>();
            loopVars.put("item", item);
            ItemResult result = ItemResult.ofItem(item, runOnce(task, scope, loopVars));
            results.add(result);
            listener.itemFinished(task, result);
        }
        return new TaskOutcome(task, results, true);
    }

    /**
     * The loop's items, rendered against play vars, registered results and extra vars. Task vars are
     * left out on purpose: they are rendered per item and may use {@code item}.
     */
    private List<?> loopItems(Task task, VariableScope scope) throws TaskFailure {
        Object loop = render(task, task.loop(), scope.view());
        if (loop instanceof List<?> list) {
            return list;
        }
        throw new TaskFailure(task.location() + ": loop must render to a list, got " + JsonValues.typeName(loop)
                + " (write loop: \"${my_list}\" or a YAML list)");
    }

    private ModuleResult runOnce(Task task, VariableScope scope, Map<String, Object> loopVars) {
        try {
            Map<String, Object> variables = scope.view(renderVars(task, scope, loopVars), loopVars);
            Optional<String> falseCondition = falseCondition(task, variables);
            if (falseCondition.isPresent()) {
                return ModuleResult.skipped(falseCondition.get());
            }
            return execute(task, variables);
        } catch (TaskFailure e) {
            return ModuleResult.failed(e.getMessage());
        }
    }

    private Optional<String> falseCondition(Task task, Map<String, Object> variables) throws TaskFailure {
        for (Object condition : task.when()) {
            boolean holds;
            try {
                holds = condition instanceof Boolean bool ? bool : templates.evaluate((String) condition, variables);
            } catch (TemplateException e) {
                throw new TaskFailure(task.location() + ": when: " + e.getMessage());
            }
            if (!holds) {
                return Optional.of(condition instanceof Boolean ? "when: false" : "condition '" + condition + "' was false");
            }
        }
        return Optional.empty();
    }

    private ModuleResult execute(Task task, Map<String, Object> variables) throws TaskFailure {
        Module module = modules.find(task.module())
                .orElseThrow(() -> new TaskFailure(task.location() + ": unknown module '" + task.module() + "'"));
        if (checkMode && !module.supportsCheckMode()) {
            // As Ansible does: a module that cannot tell what it would do without doing it is not run at all.
            return ModuleResult.skipped("check mode: module '" + task.module() + "' does not support check mode,"
                    + " so this task was not run");
        }
        debug.log(TaskRunner.class, "running module {} ({}) for task '{}' at {}", task.module(), module.getClass().getName(), task.name(), task.location());
        try {
            ModuleResult result = module.execute(new ExecOptions(task.args(), HOST, variables, templates, log, cancellation,
                    checkMode));
            if (result == null) {
                return ModuleResult.failed("module '" + task.module() + "' returned no result (a bug in "
                        + module.getClass().getName() + ")");
            }
            return result;
        } catch (TemplateException e) {
            throw new TaskFailure(task.location() + ": " + e.getMessage());
        } catch (RuntimeException e) {
            // The SPI says expected failures are results; an exception is a module bug. Its stack trace
            // goes to the debug log only, its class and message to the operator.
            debug.log(TaskRunner.class, "module {} threw", task.module(), e);
            Optional<String> path = UnnameablePaths.explain(e);
            if (path.isPresent()) {
                throw new TaskFailure(task.location() + ": " + path.get());
            }
            throw new TaskFailure("module '" + task.module() + "' crashed (a bug in " + module.getClass().getName()
                    + "): " + e);
        }
    }

    /** Task vars rendered in order, each seeing the ones before it (and the loop item). */
    private Map<String, Object> renderVars(Task task, VariableScope scope, Map<String, Object> loopVars) throws TaskFailure {
        Map<String, Object> rendered = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : task.vars().entrySet()) {
            rendered.put(entry.getKey(), render(task, entry.getValue(), scope.view(rendered, loopVars)));
        }
        return rendered;
    }

    private Object render(Task task, Object value, Map<String, Object> variables) throws TaskFailure {
        try {
            return templates.render(value, variables);
        } catch (TemplateException e) {
            throw new TaskFailure(task.location() + ": " + e.getMessage());
        }
    }

    /** A failure around the module (templating, a crash) that becomes the item's failed result. */
    private static final class TaskFailure extends Exception {
        TaskFailure(String message) {
            super(message, null, false, false);
        }
    }
}
