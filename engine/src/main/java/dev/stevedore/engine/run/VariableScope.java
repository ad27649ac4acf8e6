package dev.stevedore.engine.run;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The variables of the one host, in layers. Lowest to highest precedence: play {@code vars}, task
 * {@code vars}, registered results, extra vars from the command line; loop variables such as
 * {@code item} sit on top of all. A layer replaces whole top-level variables; maps are not merged.
 *
 * <p>Registered results live for the whole run (later plays see them); play vars for one play.
 */
public final class VariableScope {

    private final Map<String, Object> extraVars;
    private final Map<String, Object> registered = new LinkedHashMap<>();
    private Map<String, Object> playVars = Map.of();

    public VariableScope(Map<String, Object> extraVars) {
        this.extraVars = Map.copyOf(extraVars);
    }

    /** Replaces the play layer (at the start of each play, with the play's rendered vars). */
    public void setPlayVars(Map<String, Object> vars) {
        playVars = Collections.unmodifiableMap(new LinkedHashMap<>(vars));
    }

    /** Stores a task's result under its {@code register:} name. */
    public void register(String name, Map<String, Object> result) {
        registered.put(name, result);
    }

    /** Every variable visible outside any task. */
    public Map<String, Object> view() {
        return view(Map.of(), Map.of());
    }

    /** A read-only snapshot of the variables one task (or loop item) sees. */
    public Map<String, Object> view(Map<String, Object> taskVars, Map<String, Object> loopVars) {
        Map<String, Object> merged = new LinkedHashMap<>(playVars);
        merged.putAll(taskVars);
        merged.putAll(registered);
        merged.putAll(extraVars);
        merged.putAll(loopVars);
        return Collections.unmodifiableMap(merged);
    }
}
