package dev.stevedore.engine.template;

import java.util.List;
import java.util.Optional;

/** Cheap textual checks on template strings, done before FreeMarker parses anything. */
final class TemplateText {

    private static final List<String> MARKERS = List.of("${", "<#", "</#", "<@", "</@");

    private TemplateText() {
    }

    /** False when the text holds no FreeMarker syntax at all, so rendering it would return it unchanged. */
    static boolean mayBeTemplate(String text) {
        for (String marker : MARKERS) {
            if (text.contains(marker)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The expression inside a text that is exactly one interpolation ({@code ${expr}}, nothing before or
     * after), or empty. Braces and quoted strings inside the expression are skipped, so
     * {@code ${ {"a": 1}["a"] }} is one expression and {@code ${a}-${b}} is not.
     */
    static Optional<String> singleExpression(String text) {
        if (!text.startsWith("${") || !text.endsWith("}")) {
            return Optional.empty();
        }
        int depth = 0;
        char quote = 0;
        for (int i = 2; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '{') {
                depth++;
            } else if (c == '}') {
                if (depth == 0) {
                    return i == text.length() - 1 ? Optional.of(text.substring(2, i)) : Optional.empty();
                }
                depth--;
            }
        }
        return Optional.empty();
    }
}
