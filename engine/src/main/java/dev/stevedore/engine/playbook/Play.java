package dev.stevedore.engine.playbook;

import java.util.List;
import java.util.Map;

/**
 * One play: a name, the host it runs on (always {@code localhost}), its variables (raw, templated
 * when the play starts) and its tasks.
 */
public record Play(String name, String hosts, Map<String, Object> vars, List<Task> tasks, Location location) {

    public Play {
        tasks = List.copyOf(tasks);
    }
}
