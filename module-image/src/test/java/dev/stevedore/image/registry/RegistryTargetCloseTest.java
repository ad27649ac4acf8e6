package dev.stevedore.image.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.testsupport.RegistryServer;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Closing a target stops its HTTP clients' selector threads: a thread left waiting in native code
 * holds up the JVM's exit by 300 ms on every run.
 */
class RegistryTargetCloseTest {

    static RegistryServer registry;

    @BeforeAll
    static void start() throws Exception {
        registry = RegistryServer.start();
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void closeStopsTheSelectorThreadOfTheClientItMade() throws Exception {
        Set<Thread> before = selectorThreads();
        RegistryTarget target = new RegistryTarget(Settings.of(List.of(Settings.plain(registry.hostPort()))));
        assertTrue(target.resolve(ImageReference.parse(registry.hostPort() + "/team/app:absent")).isEmpty());
        Set<Thread> made = selectorThreads().stream().filter(t -> !before.contains(t)).collect(Collectors.toSet());
        assertEquals(1, made.size(), "one HttpClient, one selector thread: " + made);

        target.close();

        Thread selector = made.iterator().next();
        assertFalse(selector.isAlive(), selector.getName() + " still runs after close");
    }

    @Test
    void closingTwiceOrUnusedIsHarmlessAndAClosedTargetIsNotUsedAgain() throws Exception {
        RegistryTarget unused = new RegistryTarget(Settings.of(List.of(Settings.plain(registry.hostPort()))));
        unused.close();
        unused.close();

        Set<Thread> before = selectorThreads();
        RegistryTarget used = new RegistryTarget(Settings.of(List.of(Settings.plain(registry.hostPort()))));
        assertTrue(used.resolve(ImageReference.parse(registry.hostPort() + "/team/app:absent")).isEmpty());
        used.close();
        used.close();
        Set<Thread> left = selectorThreads().stream().filter(t -> !before.contains(t)).collect(Collectors.toSet());
        assertEquals(Set.of(), left, "a second close neither fails nor brings a client back");
        IllegalStateException closed = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> used.resolve(ImageReference.parse(registry.hostPort() + "/team/app:absent")));
        assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
    }

    private static Set<Thread> selectorThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().matches("HttpClient-\\d+-SelectorManager"))
                .collect(Collectors.toSet());
    }
}
