package dev.stevedore.image.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.InvalidReferenceException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The {@code manifests/layout} file of the newer KubeKey images directory: a JSON object mapping each
 * tag of the repository to the digest of its manifest, which is stored as {@code manifests/sha256:<hex>}.
 *
 * <p>KubeKey writes it with Go's {@code json.MarshalIndent(map[string]string, "", "  ")}: keys sorted,
 * two-space indent, {@code ": "} between key and value, no trailing newline, and {@code {}} when empty:
 * <pre>{
 *   "1.27": "sha256:0123...",
 *   "latest": "sha256:4567..."
 * }</pre>
 * We write exactly these bytes, so KubeKey and Stevedore rewrite each other's files without churn.
 */
final class KubeKeyLayoutFile {

    /** The file name, inside each repository's {@code manifests} folder. */
    static final String NAME = "layout";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");

    private KubeKeyLayoutFile() {
    }

    /** Every string entry of the file as written, or null when it is not a JSON object (not a layout file). */
    static Map<String, String> parseRaw(byte[] bytes) {
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (IOException e) {
            return null;
        }
        if (root == null || !root.isObject() || root.has("mediaType")) {
            return null;
        }
        Map<String, String> entries = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (entry.getValue().isTextual()) {
                entries.put(entry.getKey(), entry.getValue().asText());
            }
        }
        return entries;
    }

    /**
     * The valid tag-to-digest entries: a tag that breaks the tag grammar (for example {@code ../x}) or a
     * value that is not a sha256 digest is dropped, so no path is ever built from it.
     */
    static Map<String, Digest> tags(Map<String, String> raw) {
        Map<String, Digest> tags = new TreeMap<>();
        raw.forEach((tag, digest) -> {
            if (TAG.matcher(tag).matches()) {
                try {
                    tags.put(tag, Digest.parse(digest));
                } catch (InvalidReferenceException e) {
                    // Not a digest we can trust as a file name: the entry is ignored.
                }
            }
        });
        return tags;
    }

    /** The bytes Go's {@code json.MarshalIndent(m, "", "  ")} produces for this map. */
    static byte[] format(Map<String, String> entries) {
        if (entries.isEmpty()) {
            return "{}".getBytes(StandardCharsets.UTF_8);
        }
        StringBuilder out = new StringBuilder("{\n");
        Iterator<Map.Entry<String, String>> it = new TreeMap<>(entries).entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, String> entry = it.next();
            out.append("  ").append(goString(entry.getKey())).append(": ").append(goString(entry.getValue()));
            out.append(it.hasNext() ? ",\n" : "\n");
        }
        return out.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A JSON string as Go's encoder writes it (it also escapes {@code <}, {@code >} and {@code &}). */
    private static String goString(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
