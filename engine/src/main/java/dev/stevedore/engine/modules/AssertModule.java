package dev.stevedore.engine.modules;

import dev.stevedore.spi.CheckOptions;
import dev.stevedore.spi.ExecOptions;
import dev.stevedore.spi.Module;
import dev.stevedore.spi.ModuleResult;
import dev.stevedore.spi.TemplateException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code assert}: checks that every expression of {@code that:} (one or a list, bare FreeMarker
 * expressions like {@code when:}) is true. Fails with {@code fail_msg} (rendered), or names the first
 * false expression; succeeds with {@code success_msg}.
 */
public final class AssertModule implements Module {

    private static final Arguments ARGUMENTS = new Arguments("assert",
            "check boolean expressions (that), failing with fail_msg", List.of(
                    new Arguments.Argument("that", "required, an expression or a list of them",
                            "FreeMarker boolean expressions without ${}, as in when:; all must hold"),
                    new Arguments.Argument("fail_msg", "string, a template; default \"assertion failed: EXPRESSION\"",
                            "the error when an expression is false"),
                    new Arguments.Argument("success_msg", "string, a template; default \"all assertions passed\"",
                            "printed when all hold")),
            "Registers msg, and assertion (the first false expression) when one fails.");

    @Override
    public String name() {
        return "assert";
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
        List<String> problems = new ArrayList<>();
        for (Object condition : conditions(options.args())) {
            if (condition instanceof String expression) {
                syntax(() -> options.templates().checkExpression(expression), "that").ifPresent(problems::add);
            }
        }
        for (String key : List.of("fail_msg", "success_msg")) {
            if (options.args().get(key) instanceof String message) {
                syntax(() -> options.templates().checkSyntax(message), key).ifPresent(problems::add);
            }
        }
        return problems;
    }

    @Override
    public ModuleResult execute(ExecOptions options) {
        Map<String, Object> args = options.args();
        Optional<String> problem = problem(args);
        if (problem.isPresent()) {
            return ModuleResult.failed(problem.get());
        }
        for (Object condition : conditions(args)) {
            boolean holds = condition instanceof Boolean bool ? bool
                    : options.templates().evaluate(String.valueOf(condition), options.variables());
            if (!holds) {
                String message = args.containsKey("fail_msg")
                        ? String.valueOf(options.render(args.get("fail_msg")))
                        : "assertion failed: " + condition;
                return ModuleResult.failed(message, message, false, Map.of("assertion", String.valueOf(condition), "msg", message));
            }
        }
        String message = String.valueOf(options.render(args.getOrDefault("success_msg", "all assertions passed")));
        return ModuleResult.success(false, message, Map.of("msg", message));
    }

    /** What is wrong with the arguments whatever the variables, if anything. */
    private Optional<String> problem(Map<String, Object> args) {
        Optional<String> unknown = ARGUMENTS.unknown(args);
        if (unknown.isPresent()) {
            return unknown;
        }
        if (conditions(args).isEmpty()) {
            return Optional.of("assert needs that: a list of conditions");
        }
        return Optional.empty();
    }

    private static List<?> conditions(Map<String, Object> args) {
        Object that = args.get("that");
        return that instanceof List<?> list ? list : that == null ? List.of() : List.of(that);
    }

    private static Optional<String> syntax(Runnable check, String key) {
        try {
            check.run();
            return Optional.empty();
        } catch (TemplateException e) {
            return Optional.of("assert " + key + ": " + e.getMessage());
        }
    }
}
