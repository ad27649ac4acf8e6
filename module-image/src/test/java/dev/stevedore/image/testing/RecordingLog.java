package dev.stevedore.image.testing;

import dev.stevedore.spi.TaskLog;
import java.util.ArrayList;
import java.util.List;

/** A task log that keeps every line, for assertions on warnings and progress. */
public final class RecordingLog implements TaskLog {

    public record ProgressLine(String key, String line, boolean done) { }

    private final List<String> warnings = new ArrayList<>();
    private final List<String> infos = new ArrayList<>();
    private final List<ProgressLine> progress = new ArrayList<>();

    @Override public synchronized void debug(String message) { }
    @Override public synchronized void info(String message) { infos.add(message); }
    @Override public synchronized void warn(String message) { warnings.add(message); }
    @Override public synchronized void progress(String key, String line, boolean done) { progress.add(new ProgressLine(key, line, done)); }

    public synchronized List<String> warnings() { return List.copyOf(warnings); }
    public synchronized List<String> infos() { return List.copyOf(infos); }
    public synchronized List<ProgressLine> progress() { return List.copyOf(progress); }
}
