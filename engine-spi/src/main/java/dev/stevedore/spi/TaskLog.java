package dev.stevedore.spi;

/**
 * The sink through which a module reports what it does. The engine decides where it goes (a
 * terminal, a log file, nowhere); a module never writes to {@code System.out} itself.
 *
 * <p>Implementations are thread-safe: modules report from worker threads.
 */
public interface TaskLog {

    /** Detail for {@code -vv}. */
    void debug(String message);

    /** What an operator wants to see with {@code -v}. */
    void info(String message);

    /** Something the operator should know even when the task succeeds. */
    void warn(String message);

    /**
     * One line of what the task produces for the operator to read or keep, shown at every verbosity on
     * standard output as it is, without indentation or prefix (a check run's {@code source=destination}
     * mapping). The default shows it as {@link #info}.
     */
    default void output(String line) {
        info(line);
    }

    /**
     * Opens the progress of a batch of {@code items} items (images, say) of {@code bytes} bytes in all. The
     * engine shows it as it sees fit: live on a terminal, one line per finished item in a log.
     *
     * @param label what the batch is, in a word ({@code pull}, {@code push})
     */
    Progress progress(String label, int items, long bytes);

    /**
     * The same, for a batch whose bytes do not cross to a destination, such as a verify that reads and hashes
     * a bundle: {@code moved} is the word a finished item's line uses for its bytes ({@code hashed}) where a
     * copy's says {@code transferred}. The default opens the batch as {@link #progress(String, int, long)} does.
     */
    default Progress progress(String label, int items, long bytes, String moved) {
        return progress(label, items, bytes);
    }

    /** A sink that drops everything. */
    TaskLog NONE = new TaskLog() {
        @Override public void debug(String message) { }
        @Override public void info(String message) { }
        @Override public void warn(String message) { }
        @Override public Progress progress(String label, int items, long bytes) { return Progress.NONE; }
    };
}
