package dev.stevedore.engine.run;

import org.apache.logging.log4j.LogManager;

/**
 * The engine's debug lines ({@code -vv}), through Log4j, which they alone start: starting Log4j costs
 * about 0.2 s, a fifth of a no-op image run (BENCHMARKS.md), and at the default level the engine
 * logs nothing.
 */
public final class DebugLog {

    private static volatile boolean enabled;

    private DebugLog() {
    }

    /** Whether {@link #log} writes; the command line sets it before anything runs. */
    public static void setEnabled(boolean on) {
        enabled = on;
    }

    /** A debug line from {@code source}, with Log4j's {@code {}} placeholders; a last Throwable is printed with its trace. */
    public static void log(Class<?> source, String message, Object... parameters) {
        if (enabled) {
            LogManager.getLogger(source).debug(message, parameters);
        }
    }
}
