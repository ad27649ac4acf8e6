package dev.stevedore.engine.modules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.stevedore.spi.CheckOptions;
import dev.stevedore.spi.ExecOptions;
import dev.stevedore.spi.Module;
import dev.stevedore.spi.ModuleResult;
import dev.stevedore.spi.TemplateException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code debug}: prints a message ({@code msg:}, rendered) or a variable as JSON ({@code var:}, a
 * variable name or expression without {@code ${}}). The printed text is the result's stderr line,
 * and {@code msg} in the registered result.
 */
public final class DebugModule implements Module {

    private static final Arguments ARGUMENTS = new Arguments("debug",
            "print a rendered message (msg) or a variable as JSON (var)", List.of(
                    new Arguments.Argument("msg", "string, a template; default \"Hello world!\"", "the message to print"),
                    new Arguments.Argument("var", "string", "a variable name or expression (without ${}), printed as JSON")),
            "Takes msg or var, not both. The printed text is also msg in the registered result.");
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public String name() {
        return "debug";
    }

    /** It only reads variables, so a check run runs it as a normal run does. */
    @Override
    public boolean supportsCheckMode() {
        return true;
    }

    @Override
    public String description() {
        return ARGUMENTS.description();
    }

    @Override
    public String documentation() {
        return ARGUMENTS.reference();
    }

    @Override
    public List<String> check(CheckOptions options) {
        Optional<String> problem = problem(options.args());
        if (problem.isPresent()) {
            return List.of(problem.get());
        }
        try {
            if (options.args().get("msg") instanceof String msg) {
                options.templates().checkSyntax(msg);
            } else if (options.args().containsKey("var")) {
                options.templates().checkExpression(expression(options.args()));
            }
        } catch (TemplateException e) {
            return List.of("debug: " + e.getMessage());
        }
        return List.of();
    }

    @Override
    public ModuleResult execute(ExecOptions options) {
        Map<String, Object> args = options.args();
        Optional<String> problem = problem(args);
        if (problem.isPresent()) {
            return ModuleResult.failed(problem.get());
        }
        String message;
        if (args.containsKey("var")) {
            String expression = expression(args);
            message = expression + " = " + text(options.templates().render("${" + expression + "}", options.variables()));
        } else {
            message = text(options.render(args.getOrDefault("msg", "Hello world!")));
        }
        return ModuleResult.success(false, message, Map.of("msg", message));
    }

    /** What is wrong with the arguments whatever the variables, if anything. */
    private Optional<String> problem(Map<String, Object> args) {
        Optional<String> unknown = ARGUMENTS.unknown(args);
        if (unknown.isPresent()) {
            return unknown;
        }
        if (args.containsKey("msg") && args.containsKey("var")) {
            return Optional.of("debug takes msg or var, not both");
        }
        if (args.containsKey("var") && (!(args.get("var") instanceof String var) || var.isBlank())) {
            return Optional.of("debug var must be a variable name, such as var: result");
        }
        return Optional.empty();
    }

    /** {@code var:} as a bare expression: {@code ${result}} is accepted for {@code result}. */
    private static String expression(Map<String, Object> args) {
        String expression = ((String) args.get("var")).strip();
        if (expression.startsWith("${") && expression.endsWith("}")) {
            expression = expression.substring(2, expression.length() - 1);
        }
        return expression.strip();
    }

    /** Strings print as they are; anything else (a list, a map, a number) as JSON. */
    private String text(Object value) {
        if (value instanceof String text) {
            return text;
        }
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }
}
