package dev.stevedore.engine.run;

import java.nio.file.InvalidPathException;
import java.util.Optional;

/**
 * A path the system cannot name, which a module reports as an {@link InvalidPathException} when it turns an
 * argument into a path. That is no bug of the module's but something the operator can change: most often a
 * name outside ASCII under the C locale, whose character set the JVM decodes file names with.
 */
public final class UnnameablePaths {

    private UnnameablePaths() {
    }

    /** What went wrong and what to do, when {@code failure} (or one of its causes) is such a path; else empty. */
    public static Optional<String> explain(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidPathException path) {
                String what = "the path '" + path.getInput() + "' cannot be named on this system (" + path.getReason() + ")";
                return Optional.of(path.getReason().contains("unmappable")
                        ? what + ": the locale's character set, " + System.getProperty("sun.jnu.encoding")
                        + ", cannot hold it; run under a UTF-8 locale, such as LC_ALL=C.UTF-8 (the stevedore launcher"
                        + " sets that when the locale has none)"
                        : what);
            }
        }
        return Optional.empty();
    }
}
