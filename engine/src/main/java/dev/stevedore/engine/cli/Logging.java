package dev.stevedore.engine.cli;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * Log4j's level follows the command line: warnings by default, info with -v, debug with -vv. At the
 * default level Log4j is left alone: log4j2.xml already says warn, and starting it costs 0.2 s.
 */
final class Logging {

    private static boolean configured;

    private Logging() {
    }

    static synchronized void setVerbosity(int verbosity) {
        if (verbosity > 0 || configured) {
            Configurator.setRootLevel(verbosity >= 2 ? Level.DEBUG : verbosity == 1 ? Level.INFO : Level.WARN);
            configured = true;
        }
    }
}
