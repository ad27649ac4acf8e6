package dev.stevedore.engine.cli;

import dev.stevedore.engine.progress.ProgressTracker;
import dev.stevedore.spi.Progress;
import dev.stevedore.spi.TaskLog;
import java.io.PrintStream;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Shows what modules report. Warnings always, {@code info} with {@code -v}, {@code debug} with
 * {@code -vv}. Progress: on a terminal, an overall line and the items in flight are redrawn in place
 * under the other lines ({@link LiveProgress}), and each finished item leaves one line; elsewhere only
 * those finished lines are printed, so logs hold one line per item and no escape codes (a module's command
 * without a terminal shows no progress at all: {@link #withoutProgress}).
 */
public final class ConsoleTaskLog implements TaskLog {

    private final PrintStream out;
    /** Where warnings go when there is no live area: stderr, so a retry announced is seen even with stdout piped away. */
    private final PrintStream warnings;
    private final int verbosity;
    private final LiveArea area;
    private final Supplier<ScreenSize> size;
    private final Pacer pacer;
    private final LongSupplier nanoClock;
    /** Whether a batch's finished items are printed when there is no live area (a playbook's log: yes). */
    private final boolean finishedLinesWithoutTerminal;
    private LiveProgress shown;

    private ConsoleTaskLog(PrintStream out, PrintStream warnings, int verbosity, LiveArea area, Supplier<ScreenSize> size,
                           Pacer pacer, LongSupplier nanoClock, boolean finishedLinesWithoutTerminal) {
        this.finishedLinesWithoutTerminal = finishedLinesWithoutTerminal;
        this.out = out;
        this.warnings = warnings;
        this.verbosity = verbosity;
        this.area = area;
        this.size = size;
        this.pacer = pacer;
        this.nanoClock = nanoClock;
    }

    /** For output that is not a terminal (a pipe, a file): lines only, one per finished item. */
    public static ConsoleTaskLog plain(PrintStream out, int verbosity, LongSupplier nanoClock) {
        return plain(out, out, verbosity, nanoClock);
    }

    /** The same, with warnings (waits before a retry, say) on {@code warnings}, the CLI's stderr. */
    public static ConsoleTaskLog plain(PrintStream out, PrintStream warnings, int verbosity, LongSupplier nanoClock) {
        return new ConsoleTaskLog(out, warnings, verbosity, null, null, null, nanoClock, true);
    }

    /**
     * For a module's command whose output is not a terminal: messages on {@code err}, progress not shown, so
     * that standard output holds only the command's own lines (what a script reads, such as verify's problems).
     */
    static ConsoleTaskLog withoutProgress(PrintStream err, int verbosity) {
        return new ConsoleTaskLog(err, err, verbosity, null, null, null, System::nanoTime, false);
    }

    /**
     * For a terminal: live progress, sized to {@code size} at each redraw.
     *
     * @param size where the terminal's size comes from ({@link TerminalSize#ofStandardOutput()} in the CLI)
     */
    static ConsoleTaskLog live(PrintStream out, int verbosity, Supplier<ScreenSize> size, Pacer pacer, LongSupplier nanoClock) {
        // On a terminal warnings go through the live area, above the progress block, so they never tear it.
        return new ConsoleTaskLog(out, out, verbosity, new LiveArea(out), size, pacer, nanoClock, true);
    }

    @Override
    public void debug(String message) {
        if (verbosity >= 2) {
            print("  debug: " + message);
        }
    }

    @Override
    public void info(String message) {
        if (verbosity >= 1) {
            print("  " + message);
        }
    }

    @Override
    public void warn(String message) {
        if (area == null && warnings != out) {
            synchronized (warnings) {
                warnings.println("  warning: " + message);
            }
            return;
        }
        print("  warning: " + message);
    }

    /** As it is, at every verbosity: a line such as {@code source=destination} is kept by piping stdout. */
    @Override
    public void output(String line) {
        print(line);
    }

    @Override
    public Progress progress(String label, int items, long bytes) {
        return progress(label, items, bytes, "transferred");
    }

    @Override
    public synchronized Progress progress(String label, int items, long bytes, String moved) {
        if (area == null) {
            return finishedLinesWithoutTerminal
                    ? new ProgressTracker(label, items, bytes, moved, nanoClock, line -> print("  " + line), () -> { })
                    : Progress.NONE;
        }
        endTask();
        LiveProgress display = new LiveProgress(area, size);
        ProgressTracker tracker = new ProgressTracker(label, items, bytes, moved, nanoClock, line -> area.print("  " + line),
                display::close);
        shown = display;
        display.start(tracker, pacer);
        return tracker;
    }

    /** Removes what a task that ended left live (the reporter prints its outcome next). */
    public synchronized void endTask() {
        if (shown != null) {
            shown.close();
            shown = null;
        }
    }

    private void print(String line) {
        if (area != null) {
            area.print(line);
        } else {
            synchronized (out) {
                out.println(line);
            }
        }
    }
}
