package dev.stevedore.engine.run;

import dev.stevedore.engine.modules.ModuleRegistry;
import dev.stevedore.engine.playbook.Play;
import dev.stevedore.engine.playbook.Playbook;
import dev.stevedore.engine.playbook.Task;
import dev.stevedore.spi.CheckOptions;
import dev.stevedore.spi.Module;
import dev.stevedore.spi.TemplateException;
import dev.stevedore.spi.Templates;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a parsed playbook before its first task runs: the syntax of every template and condition, and
 * every task's arguments through its module's own {@link Module#check}. A mistake in the last task is
 * then reported before the first one has changed anything, instead of after it has worked for an hour.
 * What depends on variables (a template's value) is left to the run.
 */
public final class PlaybookCheck {

    private final DebugLog debug;
    private final ModuleRegistry modules;
    private final Templates templates;

    public PlaybookCheck(ModuleRegistry modules, Templates templates) {
        this(modules, templates, DebugLog.OFF);
    }

    /** @param debug where a module that throws while checking is told ({@code -vv}) */
    public PlaybookCheck(ModuleRegistry modules, Templates templates, DebugLog debug) {
        this.debug = debug;
        this.modules = modules;
        this.templates = templates;
    }

    /** Every problem found, one line each, starting with the location of its play or task; empty when none. */
    public List<String> problems(Playbook playbook) {
        List<String> problems = new ArrayList<>();
        for (Play play : playbook.plays()) {
            syntax(play.vars(), "vars").ifPresent(problem -> problems.add(play.location() + ": " + problem));
            for (Task task : play.tasks()) {
                // A task without a name is named after its module, which every problem names anyway.
                String where = task.location() + ": " + (task.name().equals(task.module()) ? "" : "task '" + task.name() + "': ");
                taskKeys(task).forEach(problem -> problems.add(where + problem));
                arguments(task).forEach(problem -> problems.add(where + problem));
            }
        }
        return problems;
    }

    /** The templates of the task's own keys: {@code vars}, {@code loop} and the {@code when} conditions. */
    private List<String> taskKeys(Task task) {
        List<String> problems = new ArrayList<>();
        syntax(task.vars(), "vars").ifPresent(problems::add);
        syntax(task.loop(), "loop").ifPresent(problems::add);
        for (Object condition : task.when()) {
            if (condition instanceof String expression) {
                try {
                    templates.checkExpression(expression);
                } catch (TemplateException e) {
                    problems.add("when: " + e.getMessage());
                }
            }
        }
        return problems;
    }

    private List<String> arguments(Task task) {
        Module module = modules.find(task.module()).orElse(null);
        if (module == null) {
            return List.of("unknown module '" + task.module() + "'");
        }
        try {
            return List.copyOf(module.check(new CheckOptions(task.args(), templates)));
        } catch (RuntimeException e) {
            // As in TaskRunner: an exception out of a module is a bug in it, reported with its class.
            debug.log(PlaybookCheck.class, "module {} threw while checking its arguments", task.module(), e);
            Optional<String> path = UnnameablePaths.explain(e);
            if (path.isPresent()) {
                return List.of(path.get());
            }
            return List.of("module '" + task.module() + "' crashed checking its arguments (a bug in "
                    + module.getClass().getName() + "): " + e);
        }
    }

    /** The first template under {@code value} (a string, list or map) that does not parse. */
    private Optional<String> syntax(Object value, String key) {
        if (value instanceof String text) {
            try {
                templates.checkSyntax(text);
            } catch (TemplateException e) {
                return Optional.of(key + ": " + e.getMessage());
            }
        } else if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                var problem = syntax(entry.getValue(), key + "." + entry.getKey());
                if (problem.isPresent()) {
                    return problem;
                }
            }
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                var problem = syntax(list.get(i), key + "[" + i + "]");
                if (problem.isPresent()) {
                    return problem;
                }
            }
        }
        return Optional.empty();
    }
}
