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
 */
record BadInput(String family, String what, Map<String, Object> args, Map<String, Object> variables, List<String> mentions) {

    BadInput {
        mentions = List.copyOf(mentions);
        variables = Map.copyOf(variables);
    }

    static BadInput of(String family, String what, Map<String, Object> args, String... mentions) {
        return new BadInput(family, what, args, Map.of(), List.of(mentions));
    }

    @Override
    public String toString() {
        return family + ": " + what;
    }
}
