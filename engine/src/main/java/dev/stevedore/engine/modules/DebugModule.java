package dev.stevedore.engine.modules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.stevedore.spi.ExecOptions;
import dev.stevedore.spi.Module;
import dev.stevedore.spi.ModuleResult;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code debug}: prints a message ({@code msg:}, rendered) or a variable as JSON ({@code var:}, a
 * variable name or expression without {@code ${}}). The printed text is the result's stderr line,
 * and {@code msg} in the registered result.
 */
public final class DebugModule implements Module {

    private static final List<String> ARGUMENTS = List.of("msg", "var");
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Override
    public String name() {
        return "debug";
    }

    @Override
    public ModuleResult execute(ExecOptions options) {
        Map<String, Object> args = options.args();
        Optional<String> unknown = Arguments.unknown(name(), args, ARGUMENTS);
        if (unknown.isPresent()) {
            return ModuleResult.failed(unknown.get());
        }
        if (args.containsKey("msg") && args.containsKey("var")) {
            return ModuleResult.failed("debug takes msg or var, not both");
        }
        String message;
        if (args.containsKey("var")) {
            if (!(args.get("var") instanceof String var) || var.isBlank()) {
                return ModuleResult.failed("debug var must be a variable name, such as var: result");
            }
            String expression = var.strip();
            if (expression.startsWith("${") && expression.endsWith("}")) {
                expression = expression.substring(2, expression.length() - 1);
            }
            message = expression.strip() + " = " + text(options.templates().render("${" + expression + "}", options.variables()));
        } else {
            message = text(options.render(args.getOrDefault("msg", "Hello world!")));
        }
        return ModuleResult.success(false, message, Map.of("msg", message));
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
