package dev.stevedore.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.engine.modules.ModuleRegistry;
import dev.stevedore.engine.testkit.CliRun;
import dev.stevedore.engine.testkit.PlaybookRunner;
import dev.stevedore.spi.ExecOptions;
import dev.stevedore.spi.Module;
import dev.stevedore.spi.ModuleCommand;
import dev.stevedore.spi.ModuleResult;
import dev.stevedore.spi.Progress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A module's CLI command: found through its module, handed every argument after its name, its exit status returned. */
class ModuleCommandTest {

    /** A command that records what it was given and answers with the exit status its first argument names. */
    private static final class EchoCommand implements ModuleCommand {
        final List<List<String>> calls = new ArrayList<>();
        final List<Integer> verbosities = new ArrayList<>();
        private final String name;

        EchoCommand(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String summary() {
            return "echo its arguments";
        }

        @Override
        public String usage() {
            return "Usage: stevedore " + name + " STATUS ARGS...\n";
        }

        @Override
        public int run(List<String> args, Context context) {
            calls.add(args);
            verbosities.add(context.verbosity());
            context.out().println("args " + args);
            return Integer.parseInt(args.get(0));
        }
    }

    private static Module bringing(ModuleCommand command) {
        return new Module() {
            @Override
            public String name() {
                return "echoing";
            }

            @Override
            public List<ModuleCommand> commands() {
                return List.of(command);
            }

            @Override
            public ModuleResult execute(ExecOptions options) {
                return ModuleResult.success(false);
            }
        };
    }

    @Test
    void theCommandGetsEveryArgumentAfterItsNameEvenOptionsTheEngineDoesNotKnow() {
        EchoCommand echo = new EchoCommand("echo");
        CliRun run = PlaybookRunner.withModules(bringing(echo)).run("-v", "echo", "2", "--plain-http", "-e", "x");
        assertEquals(2, run.exitCode(), run.toString());
        assertEquals(List.of(List.of("2", "--plain-http", "-e", "x")), echo.calls);
        assertEquals(List.of(1), echo.verbosities);
        assertEquals("args [2, --plain-http, -e, x]\n", run.stdout());
    }

    @Test
    void aCommandThatThrowsIsReportedAsItsBugOnOneLineAndWithItsTraceAtDebugLevel() {
        PlaybookRunner stevedore = PlaybookRunner.withModules(bringing(new EchoCommand("echo")));
        CliRun run = stevedore.run("echo", "two");
        assertEquals(2, run.exitCode(), run.toString());
        assertEquals(List.of("stevedore echo: crashed (a bug in " + EchoCommand.class.getName() + "): java.lang.NumberFormatException:"
                + " For input string: \"two\"; -vv before the command prints where"), run.stderrLines());

        CliRun debug = stevedore.run("-vv", "echo", "two");
        assertEquals(2, debug.exitCode(), debug.toString());
        assertTrue(debug.stderr().contains("\tat " + EchoCommand.class.getName() + ".run("), debug.stderr());
    }

    /** A command that reports one item of progress and a warning through its context's log, then prints a line. */
    private static final class ProgressingCommand implements ModuleCommand {
        @Override
        public String name() {
            return "hash";
        }

        @Override
        public String summary() {
            return "hash something";
        }

        @Override
        public String usage() {
            return "Usage: stevedore hash\n";
        }

        @Override
        public int run(List<String> args, Context context) {
            try (Progress progress = context.log().progress("hash", 1, 2048, "hashed")) {
                Progress.Item item = progress.start("the file", 2048);
                item.transferred(2048);
                item.finish("intact");
            }
            context.log().warn("careful");
            context.out().println("all intact");
            return OK;
        }
    }

    @Test
    void aCommandsProgressShowsOnATerminalOnlySoThatPipedOutputHoldsItsOwnLines() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Main piped = new Main(() -> ModuleRegistry.of(List.of(bringing(new ProgressingCommand()))),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), false);
        assertEquals(0, piped.run("hash"));
        assertEquals("all intact\n", out.toString(StandardCharsets.UTF_8));
        assertEquals("  warning: careful\n", err.toString(StandardCharsets.UTF_8));

        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        Main onTerminal = new Main(() -> ModuleRegistry.of(List.of(bringing(new ProgressingCommand()))),
                new PrintStream(screen, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()), true);
        assertEquals(0, onTerminal.run("hash"));
        String shown = screen.toString(StandardCharsets.UTF_8);
        assertTrue(shown.contains("  the file: intact, 2.0 KiB hashed"), shown);
        assertTrue(shown.contains("  warning: careful"), shown);
        assertTrue(shown.endsWith("all intact\n"), shown);
    }

    @Test
    void helpPrintsTheCommandsUsageAndModulesListsIt() {
        EchoCommand echo = new EchoCommand("echo");
        PlaybookRunner stevedore = PlaybookRunner.withModules(bringing(echo));
        CliRun help = stevedore.run("echo", "--help");
        assertEquals(0, help.exitCode());
        assertEquals("Usage: stevedore echo STATUS ARGS...\n", help.stdout());
        assertEquals(List.of(), echo.calls);
        assertTrue(stevedore.run("modules").stdoutLines().contains("stevedore echo echo its arguments"),
                stevedore.run("modules").stdout());
        assertEquals(1, stevedore.run("nosuch").exitCode(), "an unknown command is still a usage error");
    }

    @Test
    void aCommandCannotTakeAnEngineCommandsName() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Main main = new Main(() -> ModuleRegistry.of(List.of(bringing(new EchoCommand("run")))),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8), false);
        assertEquals(1, main.run("modules"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("has a command with an invalid name 'run'"), err.toString());
    }
}
