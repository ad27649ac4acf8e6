package dev.stevedore.engine.testkit;

import dev.stevedore.spi.TaskLog;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link TaskLog} that records every call as one line: {@code debug: m}, {@code info: m},
 * {@code warn: m}, {@code progress <key>: <line>} and {@code done <key>: <line>}. Thread-safe.
 */
public final class RecordingTaskLog implements TaskLog {

    private final List<String> lines = new ArrayList<>();

    @Override
    public synchronized void debug(String message) {
        lines.add("debug: " + message);
    }

    @Override
    public synchronized void info(String message) {
        lines.add("info: " + message);
    }

    @Override
    public synchronized void warn(String message) {
        lines.add("warn: " + message);
    }

    @Override
    public synchronized void progress(String key, String line, boolean done) {
        lines.add((done ? "done " : "progress ") + key + ": " + line);
    }

    /** A snapshot of the lines recorded so far. */
    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }
}
