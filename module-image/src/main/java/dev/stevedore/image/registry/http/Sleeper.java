package dev.stevedore.image.registry.http;

import java.time.Duration;

/** Waits between retries; a seam so tests can record the waits instead of sleeping. */
@FunctionalInterface
public interface Sleeper {

    Sleeper SYSTEM = duration -> Thread.sleep(duration.toMillis());

    void sleep(Duration duration) throws InterruptedException;
}
