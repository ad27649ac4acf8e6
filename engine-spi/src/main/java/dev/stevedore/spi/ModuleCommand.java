package dev.stevedore.spi;

/**
 * A command a module adds to the {@code stevedore} command line, beside {@code run}: {@code stevedore verify DIR}
 * is the {@code image} module's. The engine finds commands through {@link Module#commands()}, rejects two with
 * one name (or one named like a built-in command) at start-up, lists them in {@code --help}, and hands over
 * the operands that follow the name.
 *
 * <p>Exit status: return {@link #OK} when all is well, {@link #USAGE_ERROR} for operands that cannot be
 * used (the engine's status for usage errors), and {@link #FAILED} when the command ran and found or met a
 * failure. Expected failures are printed, one line each, and returned as a status, never thrown.
 */
public interface ModuleCommand {

    int OK = 0;
    int USAGE_ERROR = 1;
    int FAILED = 2;

    /** The command's name, for example {@code verify}: lower-case letters, digits and hyphens. */
    String name();

    /** How it is called, for {@code --help}: {@code verify DIR}. */
    String usage();

    /** What it does, in one line, for {@code --help}. */
    String description();

    /** Runs the command; returns the exit status. */
    int run(CommandInvocation invocation);
}
