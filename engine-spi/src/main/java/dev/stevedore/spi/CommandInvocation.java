package dev.stevedore.spi;

import java.io.PrintStream;
import java.util.List;
import java.util.Objects;

/**
 * Everything a {@link ModuleCommand} gets for one run, bundled so that new inputs never change its signature.
 *
 * @param operands     what followed the command's name on the command line, options of the engine removed
 * @param out          standard output: the command's results
 * @param err          standard error: its problems and failures
 * @param verbosity    0, 1 ({@code -v}) or 2 ({@code -vv})
 * @param cancellation set when the user interrupts the command (Ctrl-C)
 */
public record CommandInvocation(List<String> operands, PrintStream out, PrintStream err, int verbosity,
                                Cancellation cancellation) {

    public CommandInvocation {
        operands = List.copyOf(operands);
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
        Objects.requireNonNull(cancellation, "cancellation");
    }
}
