package dev.stevedore.spi;

import java.io.PrintStream;
import java.util.List;

/**
 * A command of the {@code stevedore} CLI that a module brings, such as {@code stevedore receipt}: for work an
 * operator runs on its own, outside a playbook. A module lists its commands in {@link Module#commands()};
 * names are unique across modules and cannot be one of the engine's own commands ({@code run}, {@code doc}, ...).
 * The engine hands over every argument after the command's name unparsed.
 */
public interface ModuleCommand {

    /** Success. */
    int OK = 0;
    /** The arguments were not understood; nothing was done. */
    int USAGE_ERROR = 1;
    /** The command ran and failed. */
    int FAILED = 2;

    /** The command's name, the first word after {@code stevedore}. */
    String name();

    /** What it does, in one line, for {@code stevedore modules}. */
    String summary();

    /** Its usage text, printed for {@code --help} and after a usage error. */
    String usage();

    /**
     * Runs the command. Expected failures are reported on {@code context.err()} as one line each and answered
     * with {@link #FAILED} or {@link #USAGE_ERROR}, never thrown.
     *
     * @param args every argument after the command's name
     * @return the exit status
     */
    int run(List<String> args, Context context);

    /**
     * What a command gets from the engine besides its arguments.
     *
     * @param verbosity    0, 1 ({@code -v} before the command) or 2
     * @param cancellation fires on Ctrl-C
     * @param log          where the command reports progress and warnings: on a terminal its progress is drawn
     *                     live on {@code out} and gone when the batch closes; elsewhere progress is not shown, so
     *                     that {@code out} holds the command's own lines only, and warnings go to {@code err}
     */
    record Context(PrintStream out, PrintStream err, int verbosity, Cancellation cancellation, TaskLog log) {
    }
}
