package dev.stevedore.image.args;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a list from the text a template rendered to, for arguments such as {@code manifests} that may
 * be written as {@code "${images}"}. The module has a JSON parser but no YAML one, so it accepts:
 * <ul>
 *   <li>a JSON array of strings: {@code ["nginx:latest", "redis:7"]};</li>
 *   <li>a YAML flow list of plain scalars: {@code [nginx:latest, redis:7]} (elements may be quoted);</li>
 *   <li>items separated by commas or new lines, a leading {@code "- "} per line allowed (a YAML block
 *       list): {@code nginx:latest, redis:7};</li>
 *   <li>a single item.</li>
 * </ul>
 * Blank items are dropped.
 */
public final class ListText {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ListText() {
    }

    /** Parses {@code text}; {@code key} names the argument in errors. */
    public static List<String> parse(String text, String key) {
        String trimmed = text.strip();
        if (trimmed.startsWith("[")) {
            List<String> json = jsonArray(trimmed, key);
            if (json != null) {
                return json;
            }
            if (!trimmed.endsWith("]")) {
                throw new ArgumentException(key + " looks like a list but has no closing ']': '" + text + "'");
            }
            trimmed = trimmed.substring(1, trimmed.length() - 1);
        }
        List<String> items = new ArrayList<>();
        for (String item : trimmed.split("[,\\n]")) {
            String value = item.strip();
            if (value.startsWith("- ") || value.equals("-")) {
                value = value.substring(1).strip();
            }
            value = unquote(value);
            if (!value.isEmpty()) {
                items.add(value);
            }
        }
        return List.copyOf(items);
    }

    private static List<String> jsonArray(String text, String key) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
        List<String> items = new ArrayList<>();
        for (JsonNode element : node) {
            if (!element.isValueNode() || element.isNull()) {
                throw new ArgumentException(key + " must render to a list of strings, got an element " + element);
            }
            if (!element.asText().isBlank()) {
                items.add(element.asText().strip());
            }
        }
        return List.copyOf(items);
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
            return value.substring(1, value.length() - 1).strip();
        }
        return value;
    }
}
