package dev.stevedore.engine.run;

import dev.stevedore.spi.ModuleResult;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of one module run: the whole task, or one item of a loop.
 *
 * @param inLoop whether this is one item of a loop
 * @param item   the loop item (may be null), null outside a loop
 * @param result what the module returned, or what the engine made of a failure around it
 */
public record ItemResult(boolean inLoop, Object item, ModuleResult result) {

    /** The result of a task without {@code loop:}. */
    public static ItemResult single(ModuleResult result) {
        return new ItemResult(false, null, result);
    }

    /** The result of one loop item. */
    public static ItemResult ofItem(Object item, ModuleResult result) {
        return new ItemResult(true, item, result);
    }

    /** The names {@code register:} always sets; module data never replaces them. */
    public static final List<String> RESERVED_KEYS = List.of("stdout", "stderr", "error", "changed", "failed", "skipped");

    public TaskStatus status() {
        return TaskStatus.of(result);
    }

    /** What {@code register:} stores: the six reserved keys, the module's data, and {@code item} in a loop. */
    public Map<String, Object> registered() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("stdout", result.stdout());
        map.put("stderr", result.stderr());
        map.put("error", result.error());
        map.put("changed", result.changed());
        map.put("failed", result.isFailed());
        map.put("skipped", result.isSkipped());
        result.data().forEach(map::putIfAbsent);
        if (inLoop) {
            map.put("item", item);
        }
        return Collections.unmodifiableMap(map);
    }
}
