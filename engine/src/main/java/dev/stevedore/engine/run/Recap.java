package dev.stevedore.engine.run;

/**
 * The run's totals, counted per task like Ansible's PLAY RECAP: {@code ok} counts every task that
 * succeeded, {@code changed} the subset that changed something; a failure let through by
 * {@code ignore_errors} counts as {@code ignored}, not {@code failed}.
 */
public record Recap(int ok, int changed, int failed, int skipped, int ignored, boolean cancelled) {

    public static final Recap EMPTY = new Recap(0, 0, 0, 0, 0, false);

    public Recap add(TaskOutcome outcome) {
        return switch (outcome.status()) {
            case OK -> new Recap(ok + 1, changed, failed, skipped, ignored, cancelled);
            case CHANGED -> new Recap(ok + 1, changed + 1, failed, skipped, ignored, cancelled);
            case SKIPPED -> new Recap(ok, changed, failed, skipped + 1, ignored, cancelled);
            case FAILED -> outcome.task().ignoreErrors()
                    ? new Recap(ok, changed, failed, skipped, ignored + 1, cancelled)
                    : new Recap(ok, changed, failed + 1, skipped, ignored, cancelled);
        };
    }

    public Recap asCancelled() {
        return new Recap(ok, changed, failed, skipped, ignored, true);
    }

    /** True when no task failed (ignored failures aside) and the run was not interrupted. */
    public boolean succeeded() {
        return failed == 0 && !cancelled;
    }
}
