package dev.stevedore.engine.cli;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/** Log4j's level follows the command line: warnings by default, info with -v, debug with -vv. */
final class Logging {

    private Logging() {
    }

    static void setVerbosity(int verbosity) {
        Configurator.setRootLevel(verbosity >= 2 ? Level.DEBUG : verbosity == 1 ? Level.INFO : Level.WARN);
    }
}
