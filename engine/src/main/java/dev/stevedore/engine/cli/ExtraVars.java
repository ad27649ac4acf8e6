package dev.stevedore.engine.cli;

import dev.stevedore.engine.playbook.PlaybookException;
import dev.stevedore.engine.playbook.YamlDocuments;
import dev.stevedore.engine.value.JsonValues;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns {@code -e} values into variables: {@code key=value} (the value stays a string, as in
 * Ansible), {@code @file.yaml} (a YAML or JSON mapping) or an inline YAML/JSON mapping
 * ({@code '{"images": ["a", "b"]}'}). Later values win.
 */
final class ExtraVars {

    private static final Pattern KEY_VALUE = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(.*)", Pattern.DOTALL);

    private ExtraVars() {
    }

    static Map<String, Object> parse(List<String> specs) throws PlaybookException {
        Map<String, Object> vars = new LinkedHashMap<>();
        for (String spec : specs) {
            vars.putAll(parseOne(spec));
        }
        return Collections.unmodifiableMap(vars);
    }

    private static Map<String, Object> parseOne(String spec) throws PlaybookException {
        if (spec.startsWith("@")) {
            return mapping(YamlDocuments.load(Path.of(spec.substring(1))), "extra vars file " + spec.substring(1));
        }
        if (spec.strip().startsWith("{")) {
            return mapping(YamlDocuments.load("-e", spec), "-e");
        }
        var matcher = KEY_VALUE.matcher(spec);
        if (matcher.matches()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put(matcher.group(1), matcher.group(2));
            return one;
        }
        // The value is not echoed: it may hold a secret.
        throw new PlaybookException(null, "-e expects KEY=VALUE (KEY made of letters, digits and underscores),"
                + " @FILE or a YAML mapping");
    }

    private static Map<String, Object> mapping(Object value, String what) throws PlaybookException {
        if (value == null) {
            return Map.of();
        }
        if (value instanceof Map<?, ?> map) {
            return JsonValues.immutableMap(map);
        }
        throw new PlaybookException(null, what + " must hold a mapping of variables, got " + JsonValues.typeName(value));
    }
}
