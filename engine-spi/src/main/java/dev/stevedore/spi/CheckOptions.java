package dev.stevedore.spi;

import java.util.Map;
import java.util.Objects;

/**
 * Everything a module gets to check one task before the playbook runs, bundled so that new inputs never
 * change {@link Module#check}'s signature. There are no variables yet: a value that is a template is
 * known only when the task runs.
 *
 * @param args      the task's arguments exactly as parsed from YAML, not templated (immutable)
 * @param templates the engine's one template service, to tell templates from plain values and to check
 *                  their syntax
 */
public record CheckOptions(Map<String, Object> args, Templates templates) {

    public CheckOptions {
        Objects.requireNonNull(args, "args");
        Objects.requireNonNull(templates, "templates");
    }
}
