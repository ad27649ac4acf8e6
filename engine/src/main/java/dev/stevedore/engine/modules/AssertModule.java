package dev.stevedore.engine.modules;

import dev.stevedore.spi.ExecOptions;
import dev.stevedore.spi.Module;
import dev.stevedore.spi.ModuleResult;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code assert}: checks that every expression of {@code that:} (one or a list, bare FreeMarker
 * expressions like {@code when:}) is true. Fails with {@code fail_msg} (rendered), or names the first
 * false expression; succeeds with {@code success_msg}.
 */
public final class AssertModule implements Module {

    private static final List<String> ARGUMENTS = List.of("that", "fail_msg", "success_msg");

    @Override
    public String name() {
        return "assert";
    }

    @Override
    public ModuleResult execute(ExecOptions options) {
        Map<String, Object> args = options.args();
        Optional<String> unknown = Arguments.unknown(name(), args, ARGUMENTS);
        if (unknown.isPresent()) {
            return ModuleResult.failed(unknown.get());
        }
        Object that = args.get("that");
        List<?> conditions = that instanceof List<?> list ? list : that == null ? List.of() : List.of(that);
        if (conditions.isEmpty()) {
            return ModuleResult.failed("assert needs that: a list of conditions");
        }
        for (Object condition : conditions) {
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
}
