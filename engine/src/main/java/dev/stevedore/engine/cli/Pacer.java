package dev.stevedore.engine.cli;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Runs a redraw at a steady pace while a live display is up. */
@FunctionalInterface
interface Pacer {

    /** Ten redraws a second: smooth to the eye, and a terminal over SSH keeps up with it. */
    long INTERVAL_MILLIS = 100;

    /** Runs {@code redraw} now and then about every {@link #INTERVAL_MILLIS}; closing the handle stops it. */
    AutoCloseable start(Runnable redraw);

    /** The real pace: a daemon thread, so that a display left open never keeps the JVM alive. */
    Pacer TEN_PER_SECOND = redraw -> {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "stevedore-progress");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleAtFixedRate(redraw, 0, INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        return timer::shutdownNow;
    };
}
