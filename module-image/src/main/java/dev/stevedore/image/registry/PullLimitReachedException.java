package dev.stevedore.image.registry;

/**
 * The registry's pull budget is spent (429 with {@code RateLimit-Remaining: 0}, as Docker Hub answers a
 * manifest GET over its limit): waiting within the task cannot help, so nothing is retried.
 */
public final class PullLimitReachedException extends RegistryException {

    private final RateLimit budget;

    PullLimitReachedException(String action, String host, RateLimit budget, String detail) {
        super("registry " + host + " refused to " + action + ": its pull limit is used up (" + budget.describe() + ")" + detail
                + "; waiting within this task cannot help: authenticate (auths, or docker login " + host + ") for a higher limit,"
                + " or run the task again once the window has moved on", 429, null);
        this.budget = budget;
    }

    public RateLimit budget() {
        return budget;
    }
}
