package dev.stevedore.spi;

import java.util.Map;
import java.util.Objects;

/**
 * Everything a module gets for one task run, bundled so that new inputs never change
 * {@link Module#execute}'s signature.
 *
 * @param args         the task's arguments exactly as parsed from YAML, not yet templated, so that a
 *                     module can render some fields per item (immutable)
 * @param host         the host the task runs for ({@code localhost})
 * @param variables    a read-only view of the host's variables at this point of the play, including
 *                     {@code item} inside a loop
 * @param templates    the engine's one template service
 * @param log          where the module reports what it does and how far it got
 * @param cancellation tells the module that the run was interrupted and it should stop promptly
 * @param checkMode    the run is a check ({@code stevedore run --check}, Ansible's check mode): the module
 *                     reports what it would do and changes nothing; its {@code changed} says whether a real
 *                     run would change anything. The engine calls only modules that
 *                     {@linkplain Module#supportsCheckMode() support} it
 */
public record ExecOptions(
        Map<String, Object> args,
        String host,
        Map<String, Object> variables,
        Templates templates,
        TaskLog log,
        Cancellation cancellation,
        boolean checkMode) {

    public ExecOptions {
        Objects.requireNonNull(args, "args");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(variables, "variables");
        Objects.requireNonNull(templates, "templates");
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(cancellation, "cancellation");
    }

    /** Options of a normal run, which may change things. */
    public ExecOptions(Map<String, Object> args, String host, Map<String, Object> variables, Templates templates,
                       TaskLog log, Cancellation cancellation) {
        this(args, host, variables, templates, log, cancellation, false);
    }

    /** Renders a value of {@link #args()} (a string, list or map) against the host's variables. */
    public Object render(Object value) {
        return templates.render(value, variables);
    }
}
