package dev.stevedore.engine.run;

import dev.stevedore.engine.modules.ModuleRegistry;
import dev.stevedore.engine.playbook.Play;
import dev.stevedore.engine.playbook.Playbook;
import dev.stevedore.engine.playbook.Task;
import dev.stevedore.spi.Cancellation;
import dev.stevedore.spi.TaskLog;
import dev.stevedore.spi.TemplateException;
import dev.stevedore.spi.Templates;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs the plays of a playbook in order on localhost. A failed task stops the run unless it has
 * {@code ignore_errors: true}; cancellation stops it before the next task or loop item.
 */
public final class PlayRunner {

    private final Templates templates;
    private final RunListener listener;
    private final Cancellation cancellation;
    private final TaskRunner tasks;

    public PlayRunner(ModuleRegistry modules, Templates templates, TaskLog log, Cancellation cancellation, RunListener listener) {
        this(modules, templates, log, cancellation, listener, DebugLog.OFF);
    }

    /** @param debug the engine's own debug lines ({@code -vv}) */
    public PlayRunner(ModuleRegistry modules, Templates templates, TaskLog log, Cancellation cancellation, RunListener listener,
                      DebugLog debug) {
        this(modules, templates, log, cancellation, listener, debug, false);
    }

    /**
     * @param checkMode a check run ({@code stevedore run --check}): every module is told, and the tasks of
     *                  modules that do not support check mode are skipped
     */
    public PlayRunner(ModuleRegistry modules, Templates templates, TaskLog log, Cancellation cancellation, RunListener listener,
                      DebugLog debug, boolean checkMode) {
        this.templates = templates;
        this.listener = listener;
        this.cancellation = cancellation;
        this.tasks = new TaskRunner(modules, templates, log, cancellation, listener, debug, checkMode);
    }

    /** Runs every play with the given extra vars (highest precedence) and returns the totals. */
    public Recap run(Playbook playbook, Map<String, Object> extraVars) {
        VariableScope scope = new VariableScope(extraVars);
        Recap recap = Recap.EMPTY;
        plays:
        for (Play play : playbook.plays()) {
            listener.playStarted(play);
            try {
                scope.setPlayVars(renderPlayVars(play, scope));
            } catch (TemplateException e) {
                listener.playFailed(play, play.location() + ": vars: " + e.getMessage());
                recap = new Recap(recap.ok(), recap.changed(), recap.failed() + 1, recap.skipped(), recap.ignored(), false);
                break;
            }
            for (Task task : play.tasks()) {
                if (cancellation.isCancelled()) {
                    break plays;
                }
                listener.taskStarted(task);
                TaskOutcome outcome = tasks.run(task, scope);
                if (task.register() != null) {
                    scope.register(task.register(), outcome.registered());
                }
                listener.taskFinished(outcome);
                recap = recap.add(outcome);
                if (outcome.status() == TaskStatus.FAILED && !task.ignoreErrors()) {
                    break plays;
                }
            }
        }
        if (cancellation.isCancelled()) {
            recap = recap.asCancelled();
        }
        listener.runFinished(recap);
        return recap;
    }

    /** Play vars rendered in order, each seeing the ones before it and the extra vars. */
    private Map<String, Object> renderPlayVars(Play play, VariableScope scope) {
        Map<String, Object> rendered = new LinkedHashMap<>();
        scope.setPlayVars(rendered);
        for (Map.Entry<String, Object> entry : play.vars().entrySet()) {
            rendered.put(entry.getKey(), templates.render(entry.getValue(), scope.view()));
            scope.setPlayVars(rendered);
        }
        return rendered;
    }
}
