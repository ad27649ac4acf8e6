package dev.stevedore.image.testing;

import java.util.List;
import java.util.Map;

/**
 * JSON as Go's {@code encoding/json} writes it, so that test documents are byte for byte what the tools
 * that produce real images serve: {@code json.Marshal} (compact: containerd, go-containerregistry, oras,
 * Helm) and {@code json.MarshalIndent} (BuildKit indents by two spaces, Docker's distribution by three).
 * Objects keep the order of the map given: pass a {@code LinkedHashMap} for a Go struct (fields in
 * declaration order) and a {@code TreeMap} for a Go map (keys sorted, as Go writes them).
 */
public final class GoJson {

    private GoJson() {
    }

    public static String compact(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value, null, "");
        return out.toString();
    }

    /** {@code json.MarshalIndent(value, "", indent)}: no trailing newline. */
    public static String indent(Object value, String indent) {
        StringBuilder out = new StringBuilder();
        write(out, value, indent, "");
        return out.toString();
    }

    private static void write(StringBuilder out, Object value, String indent, String prefix) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                out.append("{}");
                return;
            }
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                out.append(first ? "" : ",");
                first = false;
                newline(out, indent, prefix + (indent == null ? "" : indent));
                string(out, entry.getKey().toString());
                out.append(indent == null ? ":" : ": ");
                write(out, entry.getValue(), indent, prefix + (indent == null ? "" : indent));
            }
            newline(out, indent, prefix);
            out.append('}');
        } else if (value instanceof List<?> list) {
            if (list.isEmpty()) {
                out.append("[]");
                return;
            }
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                out.append(i == 0 ? "" : ",");
                newline(out, indent, prefix + (indent == null ? "" : indent));
                write(out, list.get(i), indent, prefix + (indent == null ? "" : indent));
            }
            newline(out, indent, prefix);
            out.append(']');
        } else if (value instanceof String text) {
            string(out, text);
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else {
            throw new IllegalArgumentException("not a JSON value: " + value);
        }
    }

    private static void newline(StringBuilder out, String indent, String prefix) {
        if (indent != null) {
            out.append('\n').append(prefix);
        }
    }

    /** Go escapes {@code <}, {@code >} and {@code &} too (HTML-safe by default). */
    private static void string(StringBuilder out, String text) {
        out.append('"');
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '<', '>', '&' -> out.append(String.format("\\u%04x", (int) c));
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
