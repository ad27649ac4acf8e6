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
}
