package dev.stevedore.image.args;

import dev.stevedore.image.copy.PlatformSelection;
import dev.stevedore.image.reference.InvalidReferenceException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Converts one raw argument value to its declared {@link ArgType}, or fails naming the key. */
final class ArgConversions {

    private ArgConversions() {
    }

    static String scalar(String key, ArgType type, Object value) {
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        throw wrongType(key, type, value);
    }

    static String nonEmpty(String key, String value) {
        if (value.isBlank()) {
            throw new ArgumentException(key + " must not be empty");
        }
        return value;
    }

    static Boolean bool(String key, Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof String s) {
            switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "true", "yes" -> { return true; }
                case "false", "no" -> { return false; }
                default -> { }
            }
        }
        throw wrongType(key, ArgType.BOOLEAN, value);
    }

    static Integer positive(String key, Object value) {
        try {
            long number = value instanceof Number n && !(value instanceof Double || value instanceof Float)
                    ? n.longValue() : value instanceof String s ? Long.parseLong(s.trim()) : -1;
            if (number > 0 && number <= 1024) {
                return (int) number;
            }
        } catch (NumberFormatException e) {
            // reported below as a wrong type
        }
        throw new ArgumentException(key + " must be an integer from 1 to 1024, got " + describe(value));
    }

    /**
     * Sizes are transfer sizes ({@code chunk_size}): below 64 KiB a request costs more than it carries, and a bare
     * {@code 5} meant as 5 MiB would send a request per 5 bytes.
     */
    static final long SMALLEST_SIZE = 64L << 10;

    /** A YAML number is bytes; a string may carry a unit ({@link ByteSize}). */
    static ByteSize size(String key, Object value) {
        if (value instanceof Double || value instanceof Float || !(value instanceof Number || value instanceof String)) {
            throw wrongType(key, ArgType.SIZE, value);
        }
        ByteSize size;
        try {
            size = ByteSize.parse(value.toString());
        } catch (IllegalArgumentException e) {
            throw new ArgumentException(key + ": " + e.getMessage());
        }
        if (size.bytes() < SMALLEST_SIZE) {
            throw new ArgumentException(key + " is " + size.bytes() + (size.bytes() == 1 ? " byte" : " bytes") + ", below the smallest"
                    + " size of 64KiB; a number without a unit is bytes: write 5MiB for five mebibytes");
        }
        return size;
    }

    static List<String> stringList(String key, Object value) {
        if (value instanceof String text) {
            return ListText.parse(text, key);
        }
        if (value instanceof List<?> list) {
            List<String> strings = new ArrayList<>();
            for (Object element : list) {
                if (!(element instanceof String || element instanceof Number)) {
                    throw new ArgumentException(key + " must be a list of strings, got an element " + describe(element));
                }
                strings.add(element.toString().trim());
            }
            return List.copyOf(strings);
        }
        throw wrongType(key, ArgType.STRING_LIST, value);
    }

    static Pattern regex(String key, String value) {
        try {
            return Pattern.compile(value);
        } catch (PatternSyntaxException e) {
            throw new ArgumentException(key + " is not a valid regular expression: " + e.getDescription()
                    + " near index " + e.getIndex() + " of '" + value + "'");
        }
    }

    static PlatformSelection platforms(String key, Object value) {
        try {
            if (value instanceof String text) {
                return PlatformSelection.parse(ListText.parse(text, key));
            }
            if (value instanceof List<?>) {
                return PlatformSelection.parse(stringList(key, value));
            }
        } catch (InvalidReferenceException e) {
            throw new ArgumentException(key + ": " + e.getMessage());
        }
        throw wrongType(key, ArgType.PLATFORMS, value);
    }

    static ArgumentException wrongType(String key, ArgType type, Object value) {
        return new ArgumentException(key + " must be " + type.describe() + ", got " + describe(value));
    }

    static String describe(Object value) {
        if (value instanceof Map<?, ?>) {
            return "a map";
        }
        if (value instanceof List<?>) {
            return "a list";
        }
        if (value instanceof String s) {
            return "the string '" + s + "'";
        }
        return value == null ? "nothing" : value.getClass().getSimpleName().toLowerCase(Locale.ROOT) + " " + value;
    }
}
