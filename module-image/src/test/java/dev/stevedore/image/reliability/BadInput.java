package dev.stevedore.image.reliability;

import java.util.List;
import java.util.Map;

/**
 * One malformed {@code image} task: its arguments (and play variables) and the words its error must
 * contain. Paths and the registry are placeholders ({@link TaskArgs#HOST}, ...) filled in by the test.
 *
 * @param family    which generator made it: reference, tag, digest, platform, pattern, template, shape
 * @param what      the broken part, for the test's display name
 * @param mentions  texts the one-line error must contain: the offending key, value or part
 * @param whenRun   whether the mistake shows only when the task runs (it depends on a variable's value
 *                  or on the disk), instead of in the check of the whole playbook before the first task
 */
record BadInput(String family, String what, Map<String, Object> args, Map<String, Object> variables, List<String> mentions,
                boolean whenRun) {

    BadInput {
        mentions = List.copyOf(mentions);
        variables = Map.copyOf(variables);
    }

    static BadInput of(String family, String what, Map<String, Object> args, String... mentions) {
        return new BadInput(family, what, args, Map.of(), List.of(mentions), false);
    }

    /** This case, found only when the task runs. */
    BadInput foundWhenRun() {
        return new BadInput(family, what, args, variables, mentions, true);
    }

    @Override
    public String toString() {
        return family + ": " + what;
    }
}
