package dev.stevedore.engine.modules;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** The argument checks the built-in modules share: unknown keys are named, with the valid ones. */
final class Arguments {

    private Arguments() {
    }

    /** An error message for the first argument not in {@code valid}, if any. */
    static Optional<String> unknown(String module, Map<String, Object> args, List<String> valid) {
        for (String key : new TreeSet<>(args.keySet())) {
            if (!valid.contains(key)) {
                return Optional.of("unknown argument '" + key + "' for module " + module
                        + " (valid arguments: " + String.join(", ", valid) + ")");
            }
        }
        return Optional.empty();
    }
}
