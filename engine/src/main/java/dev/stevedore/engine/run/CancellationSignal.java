package dev.stevedore.engine.run;

import dev.stevedore.spi.Cancellation;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** A {@link Cancellation} that can be triggered once, for example by Ctrl-C; actions run on that thread. */
public final class CancellationSignal implements Cancellation {

    private final Set<Runnable> actions = new LinkedHashSet<>(); // in the order registered
    private final DebugLog debug;
    private boolean cancelled;

    public CancellationSignal() {
        this(DebugLog.OFF);
    }

    /** @param debug where a failing cancellation action is told ({@code -vv}) */
    public CancellationSignal(DebugLog debug) {
        this.debug = debug;
    }

    @Override
    public synchronized boolean isCancelled() {
        return cancelled;
    }

    @Override
    public Registration onCancel(Runnable action) {
        // A wrapper of its own, so that the same action registered twice is two registrations.
        Runnable registered = action::run;
        synchronized (this) {
            if (!cancelled) {
                actions.add(registered);
                return () -> withdraw(registered);
            }
        }
        action.run();
        return Registration.NONE;
    }

    private synchronized void withdraw(Runnable registered) {
        actions.remove(registered);
    }

    /** Cancels and runs every registered action once; later calls do nothing. */
    public void cancel() {
        List<Runnable> toRun;
        synchronized (this) {
            if (cancelled) {
                return;
            }
            cancelled = true;
            toRun = List.copyOf(actions);
            actions.clear();
        }
        for (Runnable action : toRun) {
            try {
                action.run();
            } catch (RuntimeException e) {
                // One failing clean-up must not keep the others from running.
                debug.log(CancellationSignal.class, "a cancellation action failed: {}", e.toString());
            }
        }
    }
}
