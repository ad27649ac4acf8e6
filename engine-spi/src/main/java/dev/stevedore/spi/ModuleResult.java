package dev.stevedore.spi;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a module run produced: KubeKey's triple (stdout, stderr, error), whether anything changed,
 * and structured data that {@code register:} exposes at the top level of the registered variable.
 *
 * <p>By convention stdout is {@value #SUCCESS}, {@value #SKIP} or {@value #FAILED}.
 *
 * @param stdout  {@code success}, {@code skip} or {@code failed} by convention
 * @param stderr  a one-line human summary, empty when there is nothing to say
 * @param error   the error message when the task failed, else empty
 * @param changed whether the task changed anything
 * @param data    structured data (JSON-like: strings, numbers, booleans, lists, maps), immutable
 */
public record ModuleResult(String stdout, String stderr, String error, boolean changed, Map<String, Object> data) {

    public static final String SUCCESS = "success";
    public static final String SKIP = "skip";
    public static final String FAILED = "failed";

    public ModuleResult {
        stdout = Objects.requireNonNullElse(stdout, "");
        stderr = Objects.requireNonNullElse(stderr, "");
        error = Objects.requireNonNullElse(error, "");
        data = data == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }

    public static ModuleResult success(boolean changed) {
        return new ModuleResult(SUCCESS, "", "", changed, Map.of());
    }

    public static ModuleResult success(boolean changed, String stderr, Map<String, Object> data) {
        return new ModuleResult(SUCCESS, stderr, "", changed, data);
    }

    public static ModuleResult skipped(String reason) {
        return new ModuleResult(SKIP, reason, "", false, Map.of());
    }

    public static ModuleResult failed(String error) {
        return new ModuleResult(FAILED, error, error, false, Map.of());
    }

    public static ModuleResult failed(String stderr, String error, boolean changed, Map<String, Object> data) {
        return new ModuleResult(FAILED, stderr, error, changed, data);
    }

    public boolean isFailed() {
        return FAILED.equals(stdout) || !error.isEmpty();
    }

    public boolean isSkipped() {
        return SKIP.equals(stdout);
    }

    /** A copy with more structured data (later keys win). */
    public ModuleResult withData(Map<String, Object> more) {
        Map<String, Object> merged = new LinkedHashMap<>(data);
        merged.putAll(more);
        return new ModuleResult(stdout, stderr, error, changed, merged);
    }
}
