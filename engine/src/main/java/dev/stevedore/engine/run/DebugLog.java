package dev.stevedore.engine.run;

import org.apache.logging.log4j.LogManager;

/**
 * The engine's debug lines ({@code -vv}), through Log4j, which they alone start: starting Log4j costs
 * about 0.2 s, a fifth of a no-op image run (BENCHMARKS.md), and at the default level the engine
 * logs nothing.
 */
public final class DebugLog {

    /** Writes nothing: the default level, and tests. */
    public static final DebugLog OFF = new DebugLog(false);

    private final boolean enabled;

    private DebugLog(boolean enabled) {
        this.enabled = enabled;
    }

    /** On at {@code -vv}; the command line makes one and hands it to what it runs. */
    public static DebugLog forVerbosity(int verbosity) {
        return verbosity >= 2 ? new DebugLog(true) : OFF;
    }

    /** A debug line from {@code source}, with Log4j's {@code {}} placeholders; a last Throwable is printed with its trace. */
    public void log(Class<?> source, String message, Object... parameters) {
        if (enabled) {
            LogManager.getLogger(source).debug(message, parameters);
        }
    }
}
