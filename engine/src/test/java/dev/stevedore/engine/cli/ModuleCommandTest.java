package dev.stevedore.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.engine.modules.ModuleConflictException;
import dev.stevedore.engine.modules.ModuleRegistry;
import dev.stevedore.engine.testkit.CliRun;
import dev.stevedore.engine.testkit.PlaybookRunner;
import dev.stevedore.spi.CommandInvocation;
import dev.stevedore.spi.ExecOptions;
import dev.stevedore.spi.Module;
import dev.stevedore.spi.ModuleCommand;
import dev.stevedore.spi.ModuleResult;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Commands modules add to the command line: found by name, given their operands, their status returned. */
class ModuleCommandTest {

    /** A command that prints its operands and exits with the status its first operand names. */
    private static final class Echo implements ModuleCommand {
        private final String name;

        Echo(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String usage() {
            return name + " STATUS [WORD]...";
        }

        @Override
        public String description() {
            return "print the operands, exit with STATUS";
        }

        @Override
        public int run(CommandInvocation invocation) {
            invocation.out().println(String.join(" ", invocation.operands()) + " (verbosity " + invocation.verbosity() + ")");
            return Integer.parseInt(invocation.operands().get(0));
        }
    }

    private static Module offering(String moduleName, ModuleCommand... commands) {
        return new Module() {
            @Override
            public String name() {
                return moduleName;
            }

            @Override
            public List<ModuleCommand> commands() {
                return List.of(commands);
            }

            @Override
            public ModuleResult execute(ExecOptions options) {
                return ModuleResult.success(false);
            }
        };
    }

    @Test
    void aModuleCommandGetsItsOperandsAndItsStatusIsTheExitStatus() {
        PlaybookRunner stevedore = PlaybookRunner.withModules(offering("echoer", new Echo("echo")));
        CliRun ok = stevedore.run("echo", "0", "a", "b", "-v");
        assertEquals(0, ok.exitCode(), ok.toString());
        assertEquals(List.of("0 a b (verbosity 1)"), ok.stdoutLines());
        CliRun failed = stevedore.run("echo", "2");
        assertEquals(2, failed.exitCode(), failed.toString());
    }

    @Test
    void helpListsModuleCommandsAndAnUnknownCommandNamesThem() {
        PlaybookRunner stevedore = PlaybookRunner.withModules(offering("echoer", new Echo("echo")));
        CliRun help = stevedore.run("--help");
        assertTrue(help.stdout().endsWith("Module commands:\n  echo STATUS [WORD]...  print the operands, exit with STATUS\n"),
                help.stdout());
        CliRun unknown = stevedore.run("deploy", "x");
        assertEquals(1, unknown.exitCode(), unknown.toString());
        assertEquals(List.of("stevedore: unknown command 'deploy' (commands: run, demo, registry, modules, doc, echo)"
                + " (see stevedore --help)"), unknown.stderrLines());
        CliRun withVariables = stevedore.run("echo", "0", "-e", "a=1");
        assertEquals(1, withVariables.exitCode(), withVariables.toString());
        assertEquals(List.of("stevedore: echo takes no -e values (see stevedore --help)"), withVariables.stderrLines());
    }

    @Test
    void twoCommandsWithOneNameOrOneNamedLikeABuiltInStopStartUp() {
        assertConflict("two modules offer the command 'echo': first and second; remove one of them from the class path",
                () -> ModuleRegistry.of(List.of(offering("first", new Echo("echo")), offering("second", new Echo("echo")))));
        assertConflict("module first offers a command with an invalid name 'run' (lower-case letters, digits and hyphens,"
                + " not one of run, demo, registry, modules, doc, help, version)",
                () -> ModuleRegistry.of(List.of(offering("first", new Echo("run")))));
    }

    private static void assertConflict(String message, Executable registry) {
        ModuleConflictException e = assertThrows(ModuleConflictException.class, registry);
        assertEquals(message, e.getMessage());
    }
}
