package dev.stevedore.engine.testkit;

import dev.stevedore.spi.Progress;
import dev.stevedore.spi.TaskLog;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link TaskLog} that records every call as one line: {@code debug: m}, {@code info: m},
 * {@code warn: m}, {@code output: m}; for progress, {@code progress <label>: <items> items, <bytes> bytes} when a batch opens,
 * {@code start <name>: <bytes> bytes} when an item starts, {@code done <name>: <outcome>, <bytes> transferred}
 * when it finishes ({@code <bytes>} as a number) and {@code closed <label>}. Thread-safe.
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
    public synchronized void output(String line) {
        lines.add("output: " + line);
    }

    @Override
    public synchronized Progress progress(String label, int items, long bytes) {
        lines.add("progress " + label + ": " + items + " items, " + bytes + " bytes");
        return new Progress() {
            @Override
            public Item start(String name, long total) {
                record(("start " + name + ": " + total + " bytes"));
                AtomicLong transferred = new AtomicLong();
                AtomicBoolean finished = new AtomicBoolean();
                return new Item() {
                    @Override
                    public void transferred(long n) {
                        transferred.addAndGet(n);
                    }

                    @Override
                    public void skipped(long n) {
                    }

                    @Override
                    public void finish(String outcome) {
                        if (finished.compareAndSet(false, true)) {
                            record("done " + name + ": " + outcome + ", " + transferred.get() + " transferred");
                        }
                    }
                };
            }

            @Override
            public void close() {
                record("closed " + label);
            }
        };
    }

    private synchronized void record(String line) {
        lines.add(line);
    }

    /** A snapshot of the lines recorded so far. */
    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }
}
