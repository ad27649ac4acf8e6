package dev.stevedore.engine.run;

import dev.stevedore.engine.playbook.Play;
import dev.stevedore.engine.playbook.Task;

/** Told what happens during a run, in order; the console reporter is one. */
public interface RunListener {

    default void playStarted(Play play) { }

    default void taskStarted(Task task) { }

    /** One loop item finished (not called for tasks without {@code loop:}). */
    default void itemFinished(Task task, ItemResult item) { }

    default void taskFinished(TaskOutcome outcome) { }

    /** A play could not start, for example because its vars refer to an undefined variable. */
    default void playFailed(Play play, String error) { }

    default void runFinished(Recap recap) { }

    RunListener NONE = new RunListener() { };
}
