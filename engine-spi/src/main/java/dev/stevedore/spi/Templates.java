package dev.stevedore.spi;

import java.util.Map;

/**
 * The engine's template language (FreeMarker, {@code ${...}}), offered to modules so that every
 * module renders exactly like the engine does.
 *
 * <p>Every method throws {@link TemplateException} when a template refers to an undefined variable or
 * does not parse; the exception names the variable.
 */
public interface Templates {

    /** Renders one template string. */
    String renderString(String template, Map<String, Object> variables);

    /**
     * Renders a nested value: strings are rendered, lists and maps are rendered element by element
     * (keys unchanged), anything else is returned as is. The result is a new immutable structure;
     * the input is never modified.
     */
    Object render(Object value, Map<String, Object> variables);

    /** Evaluates a boolean expression such as {@code result.changed && count > 2} (no {@code ${}}). */
    boolean evaluate(String expression, Map<String, Object> variables);

    /**
     * Whether a text holds template syntax, so that its value is known only when it is rendered. A text
     * that is not a template renders to itself.
     */
    boolean isTemplate(String text);

    /** Parses a template without rendering it: throws {@link TemplateException} when it does not parse. */
    void checkSyntax(String template);

    /** Parses an expression as {@link #evaluate} takes it, without evaluating it. */
    void checkExpression(String expression);
}
