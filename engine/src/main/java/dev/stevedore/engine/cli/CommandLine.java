package dev.stevedore.engine.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The parsed command line: which command, its operand, its {@code -e} values (unparsed) and the
 * verbosity. Options may come before or after the command.
 *
 * @param command    {@code run}, {@code modules}, {@code doc}, {@code help} or {@code version}
 * @param operand    the playbook path for {@code run}, the module name for {@code doc}, else null
 * @param extraVars  every {@code -e} value in order
 * @param verbosity  0 (quiet), 1 ({@code -v}) or 2 ({@code -vv} and more)
 * @param check      {@code run --check}: a check run, which changes nothing
 */
record CommandLine(String command, String operand, List<String> extraVars, int verbosity, boolean check) {

    static final String USAGE = """
            Usage: stevedore run PLAYBOOK [--check] [-e KEY=VALUE | -e @FILE.yaml | -e '{YAML}']... [-v | -vv]
                   stevedore demo [--keep] [-v | -vv]
                   stevedore registry start | stop
                   stevedore modules
                   stevedore doc MODULE
                   stevedore COMMAND ARGS...   a module's command (stevedore modules lists them)
                   stevedore --help | --version

            Commands:
              run PLAYBOOK     check the whole playbook (every task's arguments), then run its plays
                               on localhost
              demo             push, pull and republish the sample images through a throwaway local
                               registry; --keep leaves it up for the examples (stevedore demo --help)
              registry start   start the examples' local registry with the sample images and print
                               the command that runs each example of playbooks/; registry stop ends it
              modules          list the task modules, one line each
              doc MODULE       print a module's arguments: types, defaults, meaning (doc image)
              COMMAND          a command a module brings, such as receipt (image module):
                               stevedore COMMAND --help shows its usage

            Options:
              -C, --check       with run: a check run, as Ansible's check mode: every image task
                                resolves its images and prints the mapping source=destination, with
                                what it would copy, and writes nothing anywhere; changed says whether
                                a real run would change anything; tasks of modules that cannot run in
                                check mode are skipped
              -e, --extra-vars  set variables with the highest precedence: KEY=VALUE (a string),
                                @FILE (a YAML or JSON mapping) or an inline YAML/JSON mapping;
                                may be repeated, later values win
              -v, -vv           more output: module details, then engine debug logging
              -h, --help        show this help
              --version         show the version, and the Java runtime it runs on

            Exit status: 0 every task succeeded; 1 a usage error, or a playbook or argument error
            found before the first task ran (nothing was changed); 2 a task failed while running;
            130 interrupted.

            demo and registry are commands of the ./stevedore launcher of a source checkout.
            """;

    /** A command line that cannot be understood; the message is one line. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message, null, false, false);
        }
    }

    static CommandLine parse(String... args) throws UsageException {
        List<String> positional = new ArrayList<>();
        List<String> extraVars = new ArrayList<>();
        int verbosity = 0;
        String flagCommand = null;
        boolean check = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-h") || arg.equals("--help")) {
                flagCommand = "help";
            } else if (arg.equals("--version")) {
                flagCommand = flagCommand == null ? "version" : flagCommand;
            } else if (arg.matches("-v+")) {
                verbosity += arg.length() - 1;
            } else if (arg.equals("-C") || arg.equals("--check")) {
                check = true;
            } else if (arg.equals("--verbose")) {
                verbosity++;
            } else if (arg.equals("-e") || arg.equals("--extra-vars")) {
                if (i + 1 >= args.length) {
                    throw new UsageException(arg + " needs a value: KEY=VALUE, @FILE or a YAML mapping");
                }
                extraVars.add(args[++i]);
            } else if (arg.startsWith("--extra-vars=")) {
                extraVars.add(arg.substring("--extra-vars=".length()));
            } else if (arg.startsWith("-e") && arg.length() > 2) {
                extraVars.add(arg.substring(2));
            } else if (arg.startsWith("-") && arg.length() > 1) {
                throw new UsageException("unknown option '" + arg + "'");
            } else {
                positional.add(arg);
            }
        }
        verbosity = Math.min(verbosity, 2);
        if (flagCommand != null) {
            return new CommandLine(flagCommand, null, List.of(), verbosity, false);
        }
        if (check && !positional.isEmpty() && !positional.get(0).equals("run")) {
            throw new UsageException("--check goes with run only: stevedore run --check PLAYBOOK");
        }
        if (positional.isEmpty()) {
            throw new UsageException("missing command: run PLAYBOOK, demo, modules or doc MODULE");
        }
        String command = positional.get(0);
        switch (command) {
            case "run" -> {
                if (positional.size() != 2) {
                    throw new UsageException(positional.size() < 2 ? "run needs a playbook: stevedore run PLAYBOOK"
                            : "run takes one playbook, got " + (positional.size() - 1) + " arguments");
                }
                return new CommandLine(command, positional.get(1), List.copyOf(extraVars), verbosity, check);
            }
            case "doc" -> {
                if (positional.size() != 2 || !extraVars.isEmpty()) {
                    throw new UsageException("doc takes one module name: stevedore doc image (stevedore modules lists them)");
                }
                return new CommandLine(command, positional.get(1), List.of(), verbosity, false);
            }
            case "demo", "registry" -> throw new UsageException(command + " is a command of the ./stevedore launcher"
                    + " of a source checkout (it starts a local registry): run ./stevedore " + command + " there");
            case "modules", "help", "version" -> {
                if (positional.size() > 1 || !extraVars.isEmpty()) {
                    throw new UsageException(command + " takes no arguments");
                }
                return new CommandLine(command, null, List.of(), verbosity, false);
            }
            default -> throw new UsageException("unknown command '" + command + "' (commands: run, demo, registry, modules, doc)");
        }
    }
}
