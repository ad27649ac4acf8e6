package dev.stevedore.image.reliability;

import dev.stevedore.engine.testkit.CliRun;
import java.util.List;

/**
 * One row of the fault matrix: which direction runs, what is scripted before it, what happens while it
 * runs, and whether the task must succeed (the fault is transient and retried) or fail with a message
 * containing {@code messageParts} (the fault persists, or the data is corrupt).
 */
record FaultCase(String name, Direction direction, FastRetryTargets.Tuning tuning, Arrange arrange, During during,
                 boolean succeeds, List<String> messageParts, Check check) {

    enum Direction { PULL, PUSH }

    /** Scripts faults before the run. */
    @FunctionalInterface
    interface Arrange {
        void run() throws Exception;
    }

    /** Runs beside the task (a registry restart); null for nothing. */
    @FunctionalInterface
    interface During {
        void run(int requestsBefore) throws Exception;
    }

    /** An extra assertion on the run, e.g. that the fault really fired. */
    @FunctionalInterface
    interface Check {
        void verify(CliRun run, int requestsBefore) throws Exception;

        Check NONE = (run, before) -> { };
    }

    static FaultCase succeeds(String name, Direction direction, Arrange arrange, Check check) {
        return new FaultCase(name, direction, FastRetryTargets.Tuning.fast(), arrange, null, true, List.of(), check);
    }

    static FaultCase fails(String name, Direction direction, Arrange arrange, String... messageParts) {
        return new FaultCase(name, direction, FastRetryTargets.Tuning.fast(), arrange, null, false, List.of(messageParts), Check.NONE);
    }

    FaultCase with(FastRetryTargets.Tuning newTuning, During newDuring) {
        return new FaultCase(name, direction, newTuning, arrange, newDuring, succeeds, messageParts, check);
    }

    @Override
    public String toString() {
        return direction.name().toLowerCase() + ": " + name;
    }
}
