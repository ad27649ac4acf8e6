package dev.stevedore.engine.run;

import dev.stevedore.spi.ExecOptions;
import dev.stevedore.spi.Module;
import dev.stevedore.spi.ModuleResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A test module named {@code record} that remembers what it was given and does what its rendered
 * arguments say: {@code fail: message} fails, {@code changed: true} reports a change, {@code data: {...}}
 * becomes the structured data, {@code say: text} the stderr line.
 */
final class RecordingModule implements Module {

    private final List<ExecOptions> calls = new ArrayList<>();

    @Override
    public String name() {
        return "record";
    }

    @Override
    public synchronized ModuleResult execute(ExecOptions options) {
        calls.add(options);
        @SuppressWarnings("unchecked")
        Map<String, Object> args = (Map<String, Object>) options.render(options.args());
        String say = String.valueOf(args.getOrDefault("say", ""));
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) args.getOrDefault("data", Map.of("args", args));
        if (args.containsKey("fail")) {
            return ModuleResult.failed(say, String.valueOf(args.get("fail")), false, data);
        }
        return ModuleResult.success(Boolean.TRUE.equals(args.get("changed")), say, data);
    }

    synchronized List<ExecOptions> calls() {
        return List.copyOf(calls);
    }

    synchronized ExecOptions last() {
        return calls.get(calls.size() - 1);
    }

    /** The variables the last call saw. */
    Map<String, Object> lastVariables() {
        return last().variables();
    }
}
