package dev.stevedore.spi;

/**
 * Tells a running module that the run was interrupted (Ctrl-C, a timeout) and it should stop
 * promptly, leaving nothing half-written.
 */
public interface Cancellation {

    boolean isCancelled();

    /**
     * Registers an action to run once when cancellation happens (or at once, if it already has), for
     * example closing connections that block a worker thread.
     */
    void onCancel(Runnable action);

    /** A cancellation that never happens. */
    Cancellation NEVER = new Cancellation() {
        @Override public boolean isCancelled() { return false; }
        @Override public void onCancel(Runnable action) { }
    };
}
