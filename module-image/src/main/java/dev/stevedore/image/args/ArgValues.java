package dev.stevedore.image.args;

import dev.stevedore.image.copy.PlatformSelection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Validated, converted arguments of one map: typed getters over what {@link ArgSpec#validate} produced.
 * Absent optional keys without a default read as null (or an empty list).
 *
 * @param path how the map is named in messages
 */
public record ArgValues(String path, Map<String, Object> values) {

    public ArgValues {
        values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    public String string(String key) {
        return (String) values.get(key);
    }

    public Boolean bool(String key) {
        return (Boolean) values.get(key);
    }

    public Integer integer(String key) {
        return (Integer) values.get(key);
    }

    /** A {@link ArgType#SIZE} argument, or null when absent. */
    public ByteSize size(String key) {
        return (ByteSize) values.get(key);
    }

    public Pattern pattern(String key) {
        return (Pattern) values.get(key);
    }

    public PlatformSelection platforms(String key) {
        Object value = values.get(key);
        return value == null ? PlatformSelection.ALL : (PlatformSelection) value;
    }

    @SuppressWarnings("unchecked")
    public List<String> strings(String key) {
        Object value = values.get(key);
        return value == null ? List.of() : (List<String>) value;
    }

    @SuppressWarnings("unchecked")
    public List<ArgValues> objects(String key) {
        Object value = values.get(key);
        return value == null ? List.of() : (List<ArgValues>) value;
    }

    public ArgValues object(String key) {
        Object value = values.get(key);
        return value == null ? new ArgValues(path + "." + key, Map.of()) : (ArgValues) value;
    }

    /** The message prefix naming a key of this map. */
    public String key(String key) {
        return path + "." + key;
    }
}
