package dev.stevedore.image.testing;

import dev.stevedore.spi.TemplateException;
import dev.stevedore.spi.Templates;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A test seam standing in for the engine's FreeMarker templates: substitutes {@code ${a.b.c}} from nested
 * maps and throws {@link TemplateException} naming an undefined variable, as the real one does.
 */
public final class FakeTemplates implements Templates {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]+)}");

    @Override
    public String renderString(String template, Map<String, Object> variables) {
        Matcher matcher = VARIABLE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1).trim();
            matcher.appendReplacement(out, Matcher.quoteReplacement(String.valueOf(lookup(name, variables))));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    @Override
    public Object render(Object value, Map<String, Object> variables) {
        if (value instanceof String text) {
            return renderString(text, variables);
        }
        if (value instanceof List<?> list) {
            List<Object> rendered = new ArrayList<>();
            list.forEach(element -> rendered.add(render(element, variables)));
            return Collections.unmodifiableList(rendered);
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> rendered = new LinkedHashMap<>();
            map.forEach((k, v) -> rendered.put(k, render(v, variables)));
            return Collections.unmodifiableMap(rendered);
        }
        return value;
    }

    @Override
    public boolean evaluate(String expression, Map<String, Object> variables) {
        throw new UnsupportedOperationException("not needed by the image module");
    }

    @Override
    public boolean isTemplate(String text) {
        return text.contains("${");
    }

    /** Only an unclosed {@code ${}: the real engine's parser is what the checks before the run use. */
    @Override
    public void checkSyntax(String template) {
        if (template.lastIndexOf("${") > template.lastIndexOf('}')) {
            throw new TemplateException("template syntax error in '" + template + "': unclosed ${", null, null);
        }
    }

    @Override
    public void checkExpression(String expression) {
        throw new UnsupportedOperationException("not needed by the image module");
    }

    private static Object lookup(String name, Map<String, Object> variables) {
        Object current = variables;
        for (String part : name.split("\\.")) {
            if (!(current instanceof Map<?, ?> map) || !map.containsKey(part)) {
                throw new TemplateException("The following has evaluated to null or missing: ==> " + name, name, null);
            }
            current = map.get(part);
        }
        if (current == null) {
            throw new TemplateException("The following has evaluated to null or missing: ==> " + name, name, null);
        }
        return current;
    }
}
