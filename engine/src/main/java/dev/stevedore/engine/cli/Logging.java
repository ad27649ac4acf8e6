package dev.stevedore.engine.cli;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * Log4j's level for one command line: warnings by default, info with -v, debug with -vv, and warnings
 * again when the command ends. At the default level Log4j is left alone: log4j2.xml already says warn,
 * and starting it costs 0.2 s.
 *
 * <p>Log4j's level belongs to the process, not to a run: that is Log4j's design, and this class keeps
 * no state of its own beside it. Each command line holds its own {@code Logging} for as long as it
 * runs and gives the level back when it ends, so a command line that follows in the same JVM (tests
 * run many) starts from warnings whatever the one before asked for. Command lines running in one JVM
 * at the same time share Log4j's one level; only tests do that, and the engine's own debug lines are
 * guarded per run by {@code DebugLog} anyway.
 */
final class Logging implements AutoCloseable {

    private final boolean raised;

    private Logging(boolean raised) {
        this.raised = raised;
    }

    /** Sets Log4j's level for a command line of this verbosity, until {@link #close}. */
    static Logging forVerbosity(int verbosity) {
        if (verbosity <= 0) {
            return new Logging(false);
        }
        Configurator.setRootLevel(verbosity >= 2 ? Level.DEBUG : Level.INFO);
        return new Logging(true);
    }

    /** Back to warnings, log4j2.xml's level, if this command line raised it. */
    @Override
    public void close() {
        if (raised) {
            Configurator.setRootLevel(Level.WARN);
        }
    }
}
