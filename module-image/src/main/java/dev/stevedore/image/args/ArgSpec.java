package dev.stevedore.image.args;

import dev.stevedore.spi.TemplateException;
import dev.stevedore.spi.Templates;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The declared arguments of one task form (or of one nested map such as an {@code auths} entry).
 * {@link #validate} checks a task's raw arguments against it before the module does any I/O: unknown
 * keys first (so a typo is reported as such, not as a template error), then templates are rendered,
 * then types, choices, required keys and defaults.
 *
 * @param path how the map is named in messages, for example {@code pull} or {@code auths[]}
 */
public record ArgSpec(String path, List<Arg> args) {

    public ArgSpec {
        args = List.copyOf(args);
    }

    public static ArgSpec of(String path, Arg... args) {
        return new ArgSpec(path, List.of(args));
    }

    /** The keys this spec accepts, sorted, for error messages. */
    public List<String> keys() {
        return args.stream().map(Arg::name).sorted().toList();
    }

    /**
     * Checks, renders and converts a raw argument map.
     *
     * @param raw       the map as parsed from YAML
     * @param templates renders every value except those marked {@link Arg#perImage()}
     * @param variables the host's variables (read only)
     */
    public ArgValues validate(Object raw, Templates templates, Map<String, Object> variables) {
        Map<String, Object> map = asMap(raw, path);
        checkKeys(map);
        return renderAndConvert(map, templates, variables);
    }

    /**
     * Checks what can be known before the playbook runs, without variables: unknown keys, missing required
     * keys, and the type and value of every argument that is not a template. A template is only parsed:
     * its value is known when the task runs, when {@link #validate} checks it.
     *
     * @param raw the map as parsed from YAML
     */
    public void checkStatic(Object raw, Templates templates) {
        Map<String, Object> map = asMap(raw, path);
        checkKeys(map);
        checkStaticValues(map, templates);
    }

    private void checkStaticValues(Map<String, Object> map, Templates templates) {
        for (Arg arg : args) {
            String key = key(arg);
            Object value = map.get(arg.name());
            if (value == null) {
                if (arg.required()) {
                    throw new ArgumentException(key + " is required (" + arg.type().describe() + ")");
                }
            } else if (arg.type() == ArgType.OBJECT) {
                // Never rendered as a whole (validate reads its keys), so a template here is a wrong type.
                arg.nested().checkStaticValues(asMap(value, key), templates);
            } else if (value instanceof String text && templates.isTemplate(text)) {
                checkSyntax(key, arg.secret(), text, templates);
            } else if (arg.type() == ArgType.OBJECT_LIST && value instanceof List<?> list) {
                for (int i = 0; i < list.size(); i++) {
                    String element = key + "[" + i + "]";
                    if (list.get(i) instanceof String text && templates.isTemplate(text)) {
                        checkSyntax(element, false, text, templates);
                    } else {
                        new ArgSpec(element, arg.nested().args()).checkStaticValues(asMap(list.get(i), element), templates);
                    }
                }
            } else if (value instanceof List<?> list) {
                List<?> known = withoutTemplates(key, list, templates);
                // A list of templates only is judged when it renders: empty here, it would read as "no platform".
                if (!known.isEmpty() || list.isEmpty()) {
                    convert(arg, known);
                }
            } else {
                convert(arg, value);
            }
        }
    }

    /** The elements of a list that are not templates; the syntax of those that are is checked. */
    private static List<?> withoutTemplates(String key, List<?> list, Templates templates) {
        List<Object> known = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) instanceof String text && templates.isTemplate(text)) {
                checkSyntax(key + "[" + i + "]", false, text, templates);
            } else {
                known.add(list.get(i));
            }
        }
        return known;
    }

    private static void checkSyntax(String key, boolean secret, String template, Templates templates) {
        try {
            templates.checkSyntax(template);
        } catch (TemplateException e) {
            throw cannotRender(key, secret, e);
        }
    }

    private ArgValues renderAndConvert(Map<String, Object> map, Templates templates, Map<String, Object> variables) {
        Map<String, Object> rendered = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : map.entrySet()) {
            Arg arg = find(entry.getKey());
            Object value = entry.getValue();
            if (arg.type() == ArgType.OBJECT && value != null) {
                rendered.put(arg.name(), arg.nested().renderAndConvert(asMap(value, key(arg)), templates, variables));
            } else if (arg.type() == ArgType.OBJECT_LIST && arg.nested() != null && value instanceof List<?> list) {
                rendered.put(arg.name(), renderElements(arg, list, templates, variables));
            } else {
                rendered.put(arg.name(), arg.perImage() || value == null ? value : render(key(arg), false, value, templates, variables));
            }
        }
        return convert(rendered);
    }

    /** Recursively rejects unknown keys, naming the valid ones. */
    void checkKeys(Map<String, Object> map) {
        checkKeys(map, path);
    }

    /** {@code where} names this map in messages, e.g. {@code pull.auths[1]} for an element of a list. */
    private void checkKeys(Map<String, Object> map, String where) {
        for (Map.Entry<String, Object> entry : map.entrySet()) {
            Arg arg = args.stream().filter(a -> a.name().equals(entry.getKey())).findFirst()
                    .orElseThrow(() -> new ArgumentException("unknown key '" + entry.getKey() + "' in " + where
                            + "; valid keys are: " + String.join(", ", keys())));
            String key = where + "." + arg.name();
            if (arg.nested() != null && arg.type() == ArgType.OBJECT_LIST && entry.getValue() instanceof List<?> list) {
                for (int i = 0; i < list.size(); i++) {
                    if (list.get(i) instanceof Map<?, ?> nestedMap) {
                        String element = key + "[" + i + "]";
                        arg.nested().checkKeys(stringKeys(nestedMap, element), element);
                    }
                }
            } else if (arg.nested() != null && arg.type() == ArgType.OBJECT && entry.getValue() instanceof Map<?, ?> nestedMap) {
                // Only a map where a map belongs: a map given for a list is reported as a wrong type, not as its keys.
                arg.nested().checkKeys(stringKeys(nestedMap, key), arg.nested().path());
            }
        }
    }

    private ArgValues convert(Map<String, Object> map) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Arg arg : args) {
            Object value = map.get(arg.name());
            if (value == null) {
                if (arg.required()) {
                    throw new ArgumentException(key(arg) + " is required (" + arg.type().describe() + ")");
                }
                if (arg.defaultValue() != null) {
                    values.put(arg.name(), arg.defaultValue());
                }
                continue;
            }
            values.put(arg.name(), convert(arg, value));
        }
        return new ArgValues(path, values);
    }

    private Object convert(Arg arg, Object value) {
        String key = key(arg);
        Object converted = switch (arg.type()) {
            case STRING -> ArgConversions.scalar(key, arg.type(), value);
            case NON_EMPTY_STRING -> ArgConversions.nonEmpty(key, ArgConversions.scalar(key, arg.type(), value));
            case BOOLEAN -> ArgConversions.bool(key, value);
            case POSITIVE_INTEGER -> ArgConversions.positive(key, value);
            case STRING_LIST -> ArgConversions.stringList(key, value);
            case SIZE -> ArgConversions.size(key, value);
            case REGEX -> ArgConversions.regex(key, ArgConversions.scalar(key, arg.type(), value));
            case PLATFORMS -> ArgConversions.platforms(key, value);
            case OBJECT_LIST -> objectList(arg, value);
            case OBJECT -> value instanceof ArgValues values ? values : arg.nested().convert(asMap(value, key(arg)));
        };
        if (!arg.choices().isEmpty() && !arg.choices().contains(converted)) {
            throw new ArgumentException(key(arg) + " must be one of " + String.join(", ", arg.choices()) + ", got '" + converted + "'");
        }
        return converted;
    }

    private String key(Arg arg) {
        return path + "." + arg.name();
    }

    private List<ArgValues> objectList(Arg arg, Object value) {
        if (!(value instanceof List<?> list)) {
            throw ArgConversions.wrongType(key(arg), arg.type(), value);
        }
        List<ArgValues> entries = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            ArgSpec element = new ArgSpec(key(arg) + "[" + i + "]", arg.nested().args());
            entries.add(element.convert(asMap(list.get(i), element.path())));
        }
        return List.copyOf(entries);
    }

    /** Each field of each map on its own, so that an error names the field and can keep a secret's text out. */
    private List<Object> renderElements(Arg arg, List<?> list, Templates templates, Map<String, Object> variables) {
        List<Object> elements = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String element = key(arg) + "[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> map)) {
                elements.add(list.get(i) == null ? null : render(element, false, list.get(i), templates, variables));
                continue;
            }
            Map<String, Object> fields = new LinkedHashMap<>();
            for (Map.Entry<?, ?> field : map.entrySet()) {
                String name = String.valueOf(field.getKey());
                boolean secret = arg.nested().args().stream().anyMatch(a -> a.name().equals(name) && a.secret());
                fields.put(name, field.getValue() == null ? null
                        : render(element + "." + name, secret, field.getValue(), templates, variables));
            }
            elements.add(fields);
        }
        return elements;
    }

    private static Object render(String key, boolean secret, Object value, Templates templates, Map<String, Object> variables) {
        try {
            return templates.render(value, variables);
        } catch (TemplateException e) {
            throw cannotRender(key, secret, e);
        }
    }

    /** The one wording of a template that failed under {@code key}, for every argument check of this package. */
    static ArgumentException cannotRender(String key, boolean secret, TemplateException e) {
        String variable = e.variable() == null ? "" : " (undefined variable '" + e.variable() + "')";
        // Template errors quote the template; a secret's template is the secret itself.
        String why = !secret ? e.getMessage() : e.variable() != null ? "undefined variable '" + e.variable() + "'"
                : "it does not parse as a template (its text is not shown: it is a secret; write a literal ${ as ${'$'}{)";
        return new ArgumentException("cannot render " + key + variable + ": " + why);
    }

    private Arg find(String name) {
        return args.stream().filter(a -> a.name().equals(name)).findFirst().orElseThrow();
    }

    static Map<String, Object> asMap(Object raw, String path) {
        if (raw == null) {
            return Map.of();
        }
        if (!(raw instanceof Map<?, ?> map)) {
            throw new ArgumentException(path + " must be a map of arguments, got " + ArgConversions.describe(raw));
        }
        return stringKeys(map, path);
    }

    private static Map<String, Object> stringKeys(Map<?, ?> map, String path) {
        Map<String, Object> result = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String key)) {
                throw new ArgumentException(path + " has a key that is not a string: " + entry.getKey());
            }
            result.put(key, entry.getValue());
        }
        return result;
    }

}
