package dev.stevedore.engine.testkit;

import dev.stevedore.spi.ModuleResult;
import java.util.List;
import java.util.Map;

/**
 * What one module run produced, as {@link ModuleTestKit} saw it.
 *
 * @param result     what the module returned
 * @param log        the lines it reported through its {@code TaskLog} (see {@link RecordingTaskLog})
 * @param registered what {@code register:} would store for this result in a playbook
 */
public record ModuleRun(ModuleResult result, List<String> log, Map<String, Object> registered) {

    public boolean failed() {
        return result.isFailed();
    }

    /** True when some log line contains {@code text}; handy to check that a secret is absent. */
    public boolean logContains(String text) {
        return log.stream().anyMatch(line -> line.contains(text));
    }
}
