package dev.stevedore.engine.playbook;

import java.util.List;
import java.util.Map;

/**
 * One task as written in the playbook. Everything templated is kept raw here; the task runner renders
 * it against the variables of the moment.
 *
 * @param name         the task's name, or the module name when the task has none
 * @param module       the one module key, for example {@code debug}
 * @param args         the module's arguments as parsed from YAML (immutable, never null)
 * @param register     the variable the result is stored in, or {@code null}
 * @param when         conditions that must all hold (raw expressions or booleans), empty for none
 * @param loop         a list or a template rendering to a list, or {@code null} when the task does not loop
 * @param ignoreErrors whether a failure lets the play go on
 * @param vars         task variables (raw, never null)
 * @param location     where the task starts
 */
public record Task(
        String name,
        String module,
        Map<String, Object> args,
        String register,
        List<Object> when,
        Object loop,
        boolean ignoreErrors,
        Map<String, Object> vars,
        Location location) {

    /** The keys a task may have besides its one module key. */
    public static final List<String> KEYS = List.of("name", "register", "when", "loop", "ignore_errors", "vars");
}
