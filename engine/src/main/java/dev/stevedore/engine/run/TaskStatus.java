package dev.stevedore.engine.run;

import dev.stevedore.spi.ModuleResult;

/** How a task (or one loop item) ended, as the report and the recap count it. */
public enum TaskStatus {
    OK, CHANGED, SKIPPED, FAILED;

    public static TaskStatus of(ModuleResult result) {
        if (result.isFailed()) {
            return FAILED;
        }
        if (result.isSkipped()) {
            return SKIPPED;
        }
        return result.changed() ? CHANGED : OK;
    }

    /** The word the console prints. */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
