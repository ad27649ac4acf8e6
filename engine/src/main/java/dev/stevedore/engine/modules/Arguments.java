package dev.stevedore.engine.modules;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The arguments a built-in module declares, in one place: unknown keys are checked against them and
 * {@code stevedore doc} prints them, so the reference cannot drift from what is accepted.
 *
 * @param module      the module's name
 * @param description what the module does, in one line
 * @param arguments   every argument it accepts
 * @param notes       what the reference says after the arguments
 */
record Arguments(String module, String description, List<Argument> arguments, String notes) {

    /**
     * One argument.
     *
     * @param name    the key
     * @param type    its type and default, as the reference shows them
     * @param meaning what it does
     */
    record Argument(String name, String type, String meaning) { }

    Arguments {
        arguments = List.copyOf(arguments);
    }

    List<String> names() {
        return arguments.stream().map(Argument::name).toList();
    }

    /** An error message for the first argument that is not declared, if any. */
    Optional<String> unknown(Map<String, Object> args) {
        for (String key : new TreeSet<>(args.keySet())) {
            if (!names().contains(key)) {
                return Optional.of("unknown argument '" + key + "' for module " + module
                        + " (valid arguments: " + String.join(", ", names()) + ")");
            }
        }
        return Optional.empty();
    }

    /** The reference {@code stevedore doc} prints, laid out as the image module's generated one. */
    String reference() {
        StringBuilder text = new StringBuilder(module).append(": ").append(description).append("\n\nARGUMENTS\n");
        for (Argument argument : arguments) {
            text.append("  ").append(argument.name()).append(": ").append(argument.type()).append('\n')
                    .append("      ").append(argument.meaning()).append('\n');
        }
        return text.append('\n').append(notes).append('\n').toString();
    }
}
