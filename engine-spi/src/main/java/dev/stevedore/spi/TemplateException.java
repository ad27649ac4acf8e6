package dev.stevedore.spi;

/** A template that could not be rendered: an undefined variable, a syntax error, a wrong type. */
public class TemplateException extends RuntimeException {

    private final String variable;

    public TemplateException(String message, String variable, Throwable cause) {
        super(message, cause);
        this.variable = variable;
    }

    /** The undefined variable's name, or {@code null} when the failure was of another kind. */
    public String variable() {
        return variable;
    }
}
