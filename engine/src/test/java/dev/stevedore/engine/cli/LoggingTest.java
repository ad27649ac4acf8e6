package dev.stevedore.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Log4j's level follows each command line while it runs and is given back when it ends. */
class LoggingTest {

    @AfterEach
    void backToWarnings() {
        Configurator.setRootLevel(Level.WARN);
    }

    private static Level root() {
        return LogManager.getRootLogger().getLevel();
    }

    @Test
    void aVerboseCommandLineRaisesTheLevelWhileItRunsAndTheNextOneStartsFromWarnings() {
        try (Logging debug = Logging.forVerbosity(2)) {
            assertEquals(Level.DEBUG, root());
        }
        assertEquals(Level.WARN, root());
        try (Logging info = Logging.forVerbosity(1)) {
            assertEquals(Level.INFO, root());
        }
        assertEquals(Level.WARN, root());
    }

    @Test
    void theDefaultLevelLeavesLog4jAsItIs() {
        Configurator.setRootLevel(Level.ERROR);
        try (Logging quiet = Logging.forVerbosity(0)) {
            assertEquals(Level.ERROR, root());
        }
        assertEquals(Level.ERROR, root());
    }
}
