package dev.stevedore.engine.cli;

import dev.stevedore.spi.TaskLog;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Shows what modules report. Warnings always, {@code info} with {@code -v}, {@code debug} with
 * {@code -vv}. Progress: on a terminal the live lines (one per key) are redrawn in place, at most
 * ten times a second, and a finished key's last line stays; elsewhere only finished lines are printed,
 * so logs hold one line per key.
 */
public final class ConsoleTaskLog implements TaskLog {

    private static final long REDRAW_INTERVAL_NANOS = 100_000_000L;
    private static final String UP_AND_ERASE = "\u001b[1A\u001b[2K";

    private final PrintStream out;
    private final int verbosity;
    private final boolean interactive;
    private final int width;
    private final LongSupplier nanoClock;
    private final Map<String, String> live = new LinkedHashMap<>();
    private int drawnLines;
    private long lastDraw = Long.MIN_VALUE;

    /**
     * @param interactive whether {@code out} is a terminal that understands ANSI cursor movement
     * @param width       the terminal width; live lines are cut to it so that redrawing stays aligned
     * @param nanoClock   {@link System#nanoTime} outside tests
     */
    public ConsoleTaskLog(PrintStream out, int verbosity, boolean interactive, int width, LongSupplier nanoClock) {
        this.out = out;
        this.verbosity = verbosity;
        this.interactive = interactive;
        this.width = Math.max(width, 20);
        this.nanoClock = nanoClock;
    }

    @Override
    public synchronized void debug(String message) {
        if (verbosity >= 2) {
            print("  debug: " + message);
        }
    }

    @Override
    public synchronized void info(String message) {
        if (verbosity >= 1) {
            print("  " + message);
        }
    }

    @Override
    public synchronized void warn(String message) {
        print("  warning: " + message);
    }

    @Override
    public synchronized void progress(String key, String line, boolean done) {
        if (!interactive) {
            if (done) {
                out.println("  " + line);
            }
            return;
        }
        if (done) {
            live.remove(key);
            print("  " + line);
            return;
        }
        live.put(key, line);
        long now = nanoClock.getAsLong();
        if (lastDraw == Long.MIN_VALUE || now - lastDraw >= REDRAW_INTERVAL_NANOS) {
            redraw();
        }
    }

    @Override
    public boolean interactive() {
        return interactive;
    }

    /** Removes the live lines of a task that ended (the reporter prints its outcome next). */
    public synchronized void endTask() {
        erase();
        live.clear();
    }

    /** Prints a permanent line above the live block. */
    private void print(String line) {
        erase();
        out.println(line);
        draw();
    }

    private void redraw() {
        erase();
        draw();
    }

    private void erase() {
        for (; drawnLines > 0; drawnLines--) {
            out.print(UP_AND_ERASE);
        }
    }

    private void draw() {
        for (String line : live.values()) {
            String shown = "  " + line;
            out.println(shown.length() > width - 1 ? shown.substring(0, width - 4) + "..." : shown);
        }
        drawnLines = live.size();
        lastDraw = nanoClock.getAsLong();
        out.flush();
    }
}
