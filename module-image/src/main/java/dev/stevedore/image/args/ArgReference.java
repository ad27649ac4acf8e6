package dev.stevedore.image.args;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes the argument reference {@code stevedore doc image} prints, from the same {@link ArgSpec}s the
 * module validates with, as {@code ansible-doc} does from a module's argument spec: each key with its type,
 * whether it is required, its default or choices, and what it does.
 */
final class ArgReference {

    private static final int WIDTH = 100;
    private static final String INDENT = "      ";

    /**
     * One task form.
     *
     * @param title   its heading
     * @param summary a line on how it is written
     * @param spec    its arguments; keys are printed as paths from the task's {@code image:} map
     */
    record Form(String title, String summary, ArgSpec spec) { }

    private ArgReference() {
    }

    static String render(String heading, List<Form> forms, String notes) {
        StringBuilder out = new StringBuilder();
        wrap(heading, "", out);
        for (Form form : forms) {
            out.append("\n").append(form.title()).append("\n");
            wrap(form.summary(), "", out);
            out.append("\n");
            arguments(form.spec(), "", out);
        }
        out.append("\n");
        wrap(notes, "", out);
        return out.toString();
    }

    private static void arguments(ArgSpec spec, String prefix, StringBuilder out) {
        for (Arg arg : spec.args()) {
            String key = prefix + arg.name();
            out.append("  ").append(key).append(": ").append(summary(arg)).append("\n");
            if (!arg.description().isEmpty()) {
                wrap(arg.description(), INDENT, out);
            }
            if (arg.nested() != null) {
                arguments(arg.nested(), key + (arg.type() == ArgType.OBJECT_LIST ? "[]." : "."), out);
            }
        }
    }

    /** {@code required, a list of strings} or {@code one of strict, warn; default strict}. */
    static String summary(Arg arg) {
        List<String> parts = new ArrayList<>();
        if (arg.required()) {
            parts.add("required");
        }
        parts.add(arg.choices().isEmpty() ? arg.type().describe() : "one of " + String.join(", ", arg.choices()));
        if (arg.perImage()) {
            parts.add("rendered per image");
        }
        if (arg.secret()) {
            parts.add("secret");
        }
        String summary = String.join(", ", parts);
        return arg.defaultValue() == null ? summary : summary + "; default " + arg.defaultValue();
    }

    /** Appends {@code text} broken at spaces so that no line passes {@link #WIDTH} (a longer word stands alone). */
    private static void wrap(String text, String indent, StringBuilder out) {
        StringBuilder line = new StringBuilder(indent);
        for (String word : text.split(" ")) {
            if (line.length() > indent.length() && line.length() + 1 + word.length() > WIDTH) {
                out.append(line).append("\n");
                line = new StringBuilder(indent);
            }
            if (line.length() > indent.length()) {
                line.append(' ');
            }
            line.append(word);
        }
        out.append(line).append("\n");
    }
}
