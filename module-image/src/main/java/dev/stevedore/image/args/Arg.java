package dev.stevedore.image.args;

import java.util.List;
import java.util.Objects;

/**
 * One declared argument of a task form, Ansible-style.
 *
 * @param name         the key as written in the playbook
 * @param type         its type
 * @param required     whether the key must be present
 * @param defaultValue the value when absent (already of the converted type), or null
 * @param choices      the allowed values of a string argument, empty for any
 * @param nested       the spec of each element of an {@link ArgType#OBJECT_LIST} or of an {@link ArgType#OBJECT}
 * @param perImage     a template rendered once per image later, so not rendered with the task's variables
 * @param secret       a password: its text never appears in an error, even when it does not render
 * @param description  what the argument does, for {@code stevedore doc image}; empty when not given
 */
public record Arg(String name, ArgType type, boolean required, Object defaultValue, List<String> choices,
                  ArgSpec nested, boolean perImage, boolean secret, String description) {

    public Arg {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        choices = List.copyOf(choices);
        description = description == null ? "" : description;
    }

    public static Arg optional(String name, ArgType type) {
        return new Arg(name, type, false, null, List.of(), null, false, false, "");
    }

    public static Arg required(String name, ArgType type) {
        return new Arg(name, type, true, null, List.of(), null, false, false, "");
    }

    public Arg withDefault(Object value) {
        return new Arg(name, type, required, value, choices, nested, perImage, secret, description);
    }

    public Arg oneOf(String... allowed) {
        return new Arg(name, type, required, defaultValue, List.of(allowed), nested, perImage, secret, description);
    }

    public Arg of(ArgSpec spec) {
        return new Arg(name, type, required, defaultValue, choices, spec, perImage, secret, description);
    }

    /** Marks a template rendered per image ({@code src}, {@code dest}): left as written here. */
    public Arg renderedPerImage() {
        return new Arg(name, type, required, defaultValue, choices, nested, true, secret, description);
    }

    /** What the argument does, in a sentence, for the generated reference. */
    public Arg described(String text) {
        return new Arg(name, type, required, defaultValue, choices, nested, perImage, secret, text);
    }

    /** Marks a password, whose text an error must never quote. */
    public Arg asSecret() {
        return new Arg(name, type, required, defaultValue, choices, nested, perImage, true, description);
    }
}
