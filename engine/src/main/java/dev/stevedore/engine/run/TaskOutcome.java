package dev.stevedore.engine.run;

import dev.stevedore.engine.playbook.Task;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How a task ended: one result, or one per loop item.
 *
 * @param looped whether the task had {@code loop:} (then {@code register:} stores {@code results})
 */
public record TaskOutcome(Task task, List<ItemResult> items, boolean looped) {

    public TaskOutcome {
        items = List.copyOf(items);
    }

    /** Failed if any item failed, skipped if all were (or there were none), changed if any changed. */
    public TaskStatus status() {
        List<TaskStatus> statuses = items.stream().map(ItemResult::status).toList();
        if (statuses.contains(TaskStatus.FAILED)) {
            return TaskStatus.FAILED;
        }
        if (statuses.stream().allMatch(TaskStatus.SKIPPED::equals)) {
            return TaskStatus.SKIPPED;
        }
        return statuses.contains(TaskStatus.CHANGED) ? TaskStatus.CHANGED : TaskStatus.OK;
    }

    /** What {@code register:} stores for this task. */
    public Map<String, Object> registered() {
        if (!looped) {
            return items.get(0).registered();
        }
        TaskStatus status = status();
        List<Object> results = new ArrayList<>();
        items.forEach(item -> results.add(item.registered()));
        String errors = items.stream().map(item -> item.result().error()).filter(e -> !e.isEmpty())
                .collect(Collectors.joining("; "));
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("stdout", status == TaskStatus.FAILED ? "failed" : status == TaskStatus.SKIPPED ? "skip" : "success");
        map.put("stderr", errors);
        map.put("error", errors);
        map.put("changed", items.stream().anyMatch(item -> item.result().changed()));
        map.put("failed", status == TaskStatus.FAILED);
        map.put("skipped", status == TaskStatus.SKIPPED);
        map.put("results", Collections.unmodifiableList(results));
        return Collections.unmodifiableMap(map);
    }
}
