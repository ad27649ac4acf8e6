package dev.stevedore.engine.cli;

import dev.stevedore.engine.playbook.Play;
import dev.stevedore.engine.playbook.Task;
import dev.stevedore.engine.run.ItemResult;
import dev.stevedore.engine.run.Recap;
import dev.stevedore.engine.run.RunListener;
import dev.stevedore.engine.run.TaskOutcome;
import dev.stevedore.engine.run.TaskStatus;
import dev.stevedore.spi.ModuleResult;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Prints a run the way an Ansible operator expects: a banner per play and task, then {@code ok},
 * {@code changed}, {@code skipped} or {@code failed: <error>} (with the module's stderr line), and a
 * {@code PLAY RECAP}. Failure lines go to stderr, everything else to stdout. Only what modules return
 * is printed, never their arguments, so secrets in arguments stay out of the output.
 */
public final class ConsoleReporter implements RunListener {

    private static final int BANNER_WIDTH = 79;

    private final PrintStream out;
    private final PrintStream err;
    private final ConsoleTaskLog log;
    private final ItemLabel itemLabel = new ItemLabel();
    private final boolean checkMode;

    public ConsoleReporter(PrintStream out, PrintStream err, ConsoleTaskLog log) {
        this(out, err, log, false);
    }

    /** @param checkMode the run is a check ({@code --check}): the recap says so */
    public ConsoleReporter(PrintStream out, PrintStream err, ConsoleTaskLog log, boolean checkMode) {
        this.out = out;
        this.err = err;
        this.log = log;
        this.checkMode = checkMode;
    }

    @Override
    public void playStarted(Play play) {
        banner("PLAY [" + (play.name().isEmpty() ? play.hosts() : play.name()) + "]");
    }

    @Override
    public void taskStarted(Task task) {
        banner("TASK [" + task.name() + "]");
    }

    @Override
    public void itemFinished(Task task, ItemResult item) {
        log.endTask();
        report(item);
    }

    @Override
    public void taskFinished(TaskOutcome outcome) {
        log.endTask();
        for (ItemResult item : outcome.items()) {
            if (!item.inLoop()) {
                report(item);
            }
        }
        if (outcome.looped() && outcome.items().isEmpty()) {
            out.println("skipped: the loop has no items");
        }
        if (outcome.status() == TaskStatus.FAILED && outcome.task().ignoreErrors()) {
            out.println("...ignoring");
        }
    }

    @Override
    public void playFailed(Play play, String error) {
        err.println("failed: " + error);
    }

    @Override
    public void runFinished(Recap recap) {
        banner("PLAY RECAP");
        out.printf(Locale.ROOT, "localhost : ok=%d changed=%d failed=%d skipped=%d ignored=%d%n",
                recap.ok(), recap.changed(), recap.failed(), recap.skipped(), recap.ignored());
        if (checkMode) {
            out.println("check mode: nothing was changed; changed counts the tasks a real run would change");
        }
        if (recap.cancelled()) {
            err.println("interrupted: the run was cancelled before it finished");
        }
        out.flush();
    }

    private void report(ItemResult item) {
        ModuleResult result = item.result();
        TaskStatus status = item.status();
        String text = status == TaskStatus.FAILED && !result.error().isEmpty() ? result.error() : result.stderr();
        String line = status.word() + (item.inLoop() ? " (item=" + itemLabel.of(item.item()) + ")" : "")
                + (text.isEmpty() ? "" : ": " + text);
        (status == TaskStatus.FAILED ? err : out).println(line);
    }

    private void banner(String title) {
        out.println();
        out.println(title + " " + "*".repeat(Math.max(3, BANNER_WIDTH - title.length() - 1)));
    }
}
