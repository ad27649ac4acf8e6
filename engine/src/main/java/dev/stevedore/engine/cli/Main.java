package dev.stevedore.engine.cli;

import dev.stevedore.engine.modules.ModuleConflictException;
import dev.stevedore.engine.modules.ModuleRegistry;
import dev.stevedore.engine.playbook.Playbook;
import dev.stevedore.engine.playbook.PlaybookException;
import dev.stevedore.engine.playbook.PlaybookParser;
import dev.stevedore.engine.run.CancellationSignal;
import dev.stevedore.engine.run.DebugLog;
import dev.stevedore.engine.run.PlayRunner;
import dev.stevedore.engine.run.PlaybookCheck;
import dev.stevedore.engine.run.Recap;
import dev.stevedore.engine.run.UnnameablePaths;
import dev.stevedore.engine.template.FreeMarkerTemplates;
import dev.stevedore.spi.Module;
import dev.stevedore.spi.ModuleCommand;
import java.io.PrintStream;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The {@code stevedore} command: {@code run PLAYBOOK} (with {@code --check}, a check run that changes nothing), {@code modules}, {@code doc MODULE},
 * {@code --help}, {@code --version} ({@code demo} and {@code registry} are the checkout launcher's).
 * Exit status 0 when every task succeeded, 2 when a task failed while running, 1 for usage errors and
 * for playbook and argument errors found before the first task ran, 130 when interrupted. Errors are
 * one line on stderr; {@code -vv} adds the stack trace.
 */
public final class Main {

    public static final int OK = 0;
    public static final int USAGE_OR_PLAYBOOK_ERROR = 1;
    public static final int TASK_FAILED = 2;
    public static final int INTERRUPTED = 130;

    private static final long CANCEL_GRACE_SECONDS = 10;

    private final Supplier<ModuleRegistry> modules;
    private final PrintStream out;
    private final PrintStream err;
    private final boolean interactive;

    /**
     * @param modules     where the modules come from ({@link ModuleRegistry#discover()} for the real CLI)
     * @param interactive whether {@code out} is a terminal (live progress lines)
     */
    public Main(Supplier<ModuleRegistry> modules, PrintStream out, PrintStream err, boolean interactive) {
        this.modules = modules;
        this.out = out;
        this.err = err;
        this.interactive = interactive;
    }

    public static void main(String[] args) {
        CancellationSignal cancellation = new CancellationSignal(DebugLog.forVerbosity(verbosityOf(args)));
        CountDownLatch finished = new CountDownLatch(1);
        // Ctrl-C: tell the running module to stop, then give it time to clean up before the JVM exits.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (finished.getCount() > 0) {
                cancellation.cancel();
                awaitQuietly(finished);
            }
        }, "stevedore-cancel"));
        int status = new Main(ModuleRegistry::discover, System.out, System.err, System.console() != null)
                .run(cancellation, args);
        System.out.flush();
        finished.countDown();
        System.exit(status);
    }

    /** The verbosity the command line asks for, before it is checked (that is {@link #run}'s): 0 when it is not valid. */
    private static int verbosityOf(String[] args) {
        try {
            return CommandLine.parse(args).verbosity();
        } catch (CommandLine.UsageException e) {
            return 0;
        }
    }

    /** Runs one command line with a cancellation that never fires; returns the exit status. */
    public int run(String... args) {
        return run(new CancellationSignal(), args);
    }

    /** Runs one command line; {@code cancellation} is what Ctrl-C triggers. Returns the exit status. */
    public int run(CancellationSignal cancellation, String... args) {
        int named = firstOperand(args);
        if (named >= 0 && !ModuleRegistry.ENGINE_COMMANDS.contains(args[named])) {
            try {
                Optional<ModuleCommand> command = modules.get().command(args[named]);
                if (command.isPresent()) {
                    return runModuleCommand(command.get(), args, named, cancellation);
                }
            } catch (ModuleConflictException e) {
                return fail(e, 0);
            }
        }
        CommandLine commandLine;
        try {
            commandLine = CommandLine.parse(args);
        } catch (CommandLine.UsageException e) {
            err.println("stevedore: " + e.getMessage() + " (see stevedore --help)");
            return USAGE_OR_PLAYBOOK_ERROR;
        }
        try (Logging logging = Logging.forVerbosity(commandLine.verbosity())) {
            return switch (commandLine.command()) {
                case "help" -> help(modules.get());
                case "version" -> {
                    out.println("stevedore " + Version.current());
                    // Which runtime the launcher chose (the newest JDK it found, or the distribution's own).
                    out.println("runtime: Java " + Runtime.version() + ", " + System.getProperty("java.home"));
                    yield OK;
                }
                case "modules" -> listModules(modules.get());
                case "doc" -> document(modules.get(), commandLine.operand());
                default -> runPlaybook(commandLine, modules.get(), cancellation);
            };
        } catch (PlaybookException | ModuleConflictException e) {
            return fail(e, commandLine.verbosity());
        } catch (InvalidPathException e) {
            err.println("stevedore: " + UnnameablePaths.explain(e).orElseThrow()); // the playbook's own name, say
            return USAGE_OR_PLAYBOOK_ERROR;
        } catch (RuntimeException e) {
            err.println("stevedore: internal error: " + e + (commandLine.verbosity() < 2 ? " (run with -vv for the stack trace)" : ""));
            if (commandLine.verbosity() >= 2) {
                e.printStackTrace(err);
            }
            return USAGE_OR_PLAYBOOK_ERROR;
        }
    }

    /** The usage text, then how to call each command the modules bring, from its own usage. */
    private int help(ModuleRegistry registry) {
        out.print(CommandLine.USAGE);
        if (!registry.commands().isEmpty()) {
            out.println();
            out.println("Module commands (stevedore COMMAND --help for more):");
            for (ModuleCommand command : registry.commands()) {
                String call = command.usage().lines().findFirst().orElse(command.name()).replaceFirst("^Usage: stevedore ", "");
                out.printf(Locale.ROOT, "  %s%n      %s%n", call, command.summary());
            }
        }
        return OK;
    }

    private int listModules(ModuleRegistry registry) {
        for (Module module : registry.modules()) {
            String description = module.description().isBlank() ? "(no description)" : module.description();
            out.printf(Locale.ROOT, "%-12s %s%n", module.name(), description);
        }
        for (ModuleCommand command : registry.commands()) {
            out.printf(Locale.ROOT, "%-12s %s%n", "stevedore " + command.name(), command.summary());
        }
        return OK;
    }

    /** Where the command's name is: the first argument that is not an option; -1 when there is none. */
    private static int firstOperand(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("-e") || args[i].equals("--extra-vars")) {
                i++;
            } else if (!args[i].startsWith("-")) {
                return i;
            }
        }
        return -1;
    }

    /** A module's command gets every argument after its name; {@code -v} before the name sets the verbosity. */
    private int runModuleCommand(ModuleCommand command, String[] args, int named, CancellationSignal cancellation) {
        int verbosity = 0;
        for (int i = 0; i < named; i++) {
            verbosity += args[i].matches("-v+") ? args[i].length() - 1 : args[i].equals("--verbose") ? 1 : 0;
        }
        List<String> rest = List.of(args).subList(named + 1, args.length);
        if (rest.contains("-h") || rest.contains("--help")) {
            out.print(command.usage());
            return OK;
        }
        int level = Math.min(verbosity, 2);
        ConsoleTaskLog log = interactive
                ? ConsoleTaskLog.live(out, level, TerminalSize.ofStandardOutput(), Pacer.TEN_PER_SECOND, System::nanoTime)
                : ConsoleTaskLog.withoutProgress(err, level);
        try (Logging logging = Logging.forVerbosity(level)) {
            return command.run(rest, new ModuleCommand.Context(out, err, level, cancellation, log));
        } catch (InvalidPathException e) {
            err.println("stevedore " + command.name() + ": " + UnnameablePaths.explain(e).orElseThrow());
            return ModuleCommand.USAGE_ERROR;
        } catch (RuntimeException e) {
            // As a task's module: an exception out of a command is a bug in it, said on one line; -vv adds the trace.
            err.println("stevedore " + command.name() + ": crashed (a bug in " + command.getClass().getName() + "): " + e
                    + (level < 2 ? "; -vv before the command prints where" : ""));
            if (level >= 2) {
                e.printStackTrace(err);
            }
            return ModuleCommand.FAILED;
        } finally {
            log.endTask(); // a batch the command left open must not stay drawn under the shell's prompt
        }
    }

    private int document(ModuleRegistry registry, String name) {
        Module module = registry.find(name).orElse(null);
        if (module == null) {
            err.println("stevedore: unknown module '" + name + "' (known modules: " + String.join(", ", registry.names()) + ")");
            return USAGE_OR_PLAYBOOK_ERROR;
        }
        String documentation = module.documentation();
        out.print(documentation.isBlank() ? name + ": " + module.description() + "\n(the module documents no arguments)\n"
                : documentation.endsWith("\n") ? documentation : documentation + "\n");
        return OK;
    }

    private int runPlaybook(CommandLine commandLine, ModuleRegistry registry, CancellationSignal cancellation)
            throws PlaybookException {
        Map<String, Object> extraVars = ExtraVars.parse(commandLine.extraVars());
        Path file = Path.of(commandLine.operand());
        Playbook playbook = new PlaybookParser(registry.names()).parse(file);
        FreeMarkerTemplates templates = new FreeMarkerTemplates();
        List<String> problems = new PlaybookCheck(registry, templates, DebugLog.forVerbosity(commandLine.verbosity())).problems(playbook);
        if (!problems.isEmpty()) {
            problems.forEach(err::println);
            err.println("stevedore: " + (problems.size() == 1 ? "1 problem" : problems.size() + " problems")
                    + " found before the run; no task was run");
            return USAGE_OR_PLAYBOOK_ERROR;
        }
        ConsoleTaskLog log = interactive
                ? ConsoleTaskLog.live(out, commandLine.verbosity(), TerminalSize.ofStandardOutput(), Pacer.TEN_PER_SECOND, System::nanoTime)
                : ConsoleTaskLog.plain(out, err, commandLine.verbosity(), System::nanoTime);
        ConsoleReporter reporter = new ConsoleReporter(out, err, log, commandLine.check());
        Recap recap = new PlayRunner(registry, templates, log, cancellation, reporter,
                DebugLog.forVerbosity(commandLine.verbosity()), commandLine.check()).run(playbook, extraVars);
        if (recap.cancelled()) {
            return INTERRUPTED;
        }
        return recap.succeeded() ? OK : TASK_FAILED;
    }

    private int fail(Exception e, int verbosity) {
        err.println(e.getMessage());
        if (verbosity >= 2) {
            e.printStackTrace(err);
        }
        return USAGE_OR_PLAYBOOK_ERROR;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(CANCEL_GRACE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
