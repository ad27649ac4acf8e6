package dev.stevedore.engine.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How a loop item is shown in {@code ok (item=...)}: strings as they are, anything else as compact
 * JSON with the values of secret-looking keys (password, token, secret, auth, credential, key)
 * masked, cut to a readable length. Items often carry registry credentials.
 */
final class ItemLabel {

    private static final Pattern SECRET_KEY = Pattern.compile("(?i).*(pass|secret|token|auth|credential|key).*");
    private static final int MAX_LENGTH = 60;

    private final ObjectMapper json = new ObjectMapper();

    String of(Object item) {
        String text;
        if (item instanceof String string) {
            text = string;
        } else {
            try {
                text = json.writeValueAsString(masked(item));
            } catch (JsonProcessingException e) {
                text = item.getClass().getSimpleName();
            }
        }
        return text.length() > MAX_LENGTH ? text.substring(0, MAX_LENGTH - 3) + "..." : text;
    }

    private static Object masked(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((key, element) -> copy.put(String.valueOf(key),
                    SECRET_KEY.matcher(String.valueOf(key)).matches() && element != null ? "***" : masked(element)));
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(element -> copy.add(masked(element)));
            return copy;
        }
        return value;
    }
}
