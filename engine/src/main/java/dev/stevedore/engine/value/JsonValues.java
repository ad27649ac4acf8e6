package dev.stevedore.engine.value;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Helpers for the JSON-like values the engine passes around (maps with string keys, lists, strings,
 * numbers, booleans and {@code null}): deep immutable copies and human type names.
 */
public final class JsonValues {

    private JsonValues() {
    }

    /**
     * A deep, unmodifiable copy: maps keep their order and get string keys, lists and arrays become
     * lists; {@code null} values are kept (which {@link Map#copyOf} would refuse).
     */
    public static Object immutableCopy(Object value) {
        if (value instanceof Map<?, ?> map) {
            return immutableMap(map);
        }
        if (value instanceof Collection<?> collection) {
            List<Object> copy = new ArrayList<>(collection.size());
            for (Object element : collection) {
                copy.add(immutableCopy(element));
            }
            return Collections.unmodifiableList(copy);
        }
        if (value instanceof Object[] array) {
            return immutableCopy(List.of(array));
        }
        return value;
    }

    /** A deep, unmodifiable copy of a map, keys turned into strings. */
    public static Map<String, Object> immutableMap(Map<?, ?> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            copy.put(String.valueOf(entry.getKey()), immutableCopy(entry.getValue()));
        }
        return Collections.unmodifiableMap(copy);
    }

    /** The name of a value's type as a playbook author thinks of it: string, number, list, mapping... */
    public static String typeName(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Map<?, ?>) {
            return "a mapping";
        }
        if (value instanceof Collection<?> || value instanceof Object[]) {
            return "a list";
        }
        if (value instanceof String) {
            return "a string";
        }
        if (value instanceof Number) {
            return "a number";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        return "a " + value.getClass().getSimpleName();
    }
}
