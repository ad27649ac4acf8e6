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
     * A live progress line identified by {@code key} (one per running image, say). On a terminal the
     * engine redraws the line in place; elsewhere it may drop it. {@code done} marks the key finished:
     * its last line is kept (printed once where there is no terminal).
     */
    void progress(String key, String line, boolean done);

    /** True when progress is shown live on a terminal, so that a module can skip costly formatting. */
    default boolean interactive() {
        return false;
    }

    /** A sink that drops everything. */
    TaskLog NONE = new TaskLog() {
        @Override public void debug(String message) { }
        @Override public void info(String message) { }
        @Override public void warn(String message) { }
        @Override public void progress(String key, String line, boolean done) { }
    };
}
