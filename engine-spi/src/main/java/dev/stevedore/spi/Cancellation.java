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
     *
     * @return what withdraws the action once the work it guards is over: a run lasts as long as its
     *         playbook, and a playbook of many tasks would otherwise keep every task's action until the end
     */
    Registration onCancel(Runnable action);

    /**
     * A registered cancellation action. Closing it withdraws the action if it has not started; one that is
     * already running (cancellation came first) runs to its end, so an action that must not act late checks
     * for itself whether its work is still going on.
     */
    interface Registration extends AutoCloseable {

        @Override
        void close();

        /** A registration with nothing to withdraw. */
        Registration NONE = () -> { };
    }

    /** A cancellation that never happens. */
    Cancellation NEVER = new Cancellation() {
        @Override public boolean isCancelled() { return false; }
        @Override public Registration onCancel(Runnable action) { return Registration.NONE; }
    };
}
