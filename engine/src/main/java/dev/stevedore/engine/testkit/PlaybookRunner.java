package dev.stevedore.engine.testkit;

import dev.stevedore.engine.cli.Main;
import dev.stevedore.engine.modules.AssertModule;
import dev.stevedore.engine.modules.DebugModule;
import dev.stevedore.engine.modules.ModuleRegistry;
import dev.stevedore.engine.run.CancellationSignal;
import dev.stevedore.spi.Module;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Runs the {@code stevedore} command in-process (the real {@link Main}, parser, runner and console
 * output, not a terminal) and captures its stdout, stderr and exit status.
 *
 * <pre>{@code
 * CliRun run = PlaybookRunner.withDiscoveredModules().runYaml(tempDir, """
 *     - hosts: localhost
 *       tasks:
 *         - image: {manifests: [busybox:1.36], src: "oci://...", dest: "local:///..."}
 *           register: pulled
 *     """, "-e", "registry=" + server.hostPort());
 * assertEquals(0, run.exitCode(), run.toString());
 * }</pre>
 */
public final class PlaybookRunner {

    private final Supplier<ModuleRegistry> modules;

    private PlaybookRunner(Supplier<ModuleRegistry> modules) {
        this.modules = modules;
    }

    /** Modules found by {@code ServiceLoader} on the class path, as the real CLI finds them. */
    public static PlaybookRunner withDiscoveredModules() {
        return new PlaybookRunner(ModuleRegistry::discover);
    }

    /** The built-in {@code debug} and {@code assert} modules plus exactly these. */
    public static PlaybookRunner withModules(Module... modules) {
        List<Module> all = new ArrayList<>(List.of(new DebugModule(), new AssertModule()));
        all.addAll(List.of(modules));
        ModuleRegistry registry = ModuleRegistry.of(all);
        return new PlaybookRunner(() -> registry);
    }

    /** Runs any command line, for example {@code run("run", "site.yaml", "-e", "x=1", "-v")}. */
    public CliRun run(String... args) {
        return run(new CancellationSignal(), args);
    }

    /** Runs a command line with a cancellation the test can trigger (what Ctrl-C does). */
    public CliRun run(CancellationSignal cancellation, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            int status = new Main(modules, outStream, errStream, false).run(cancellation, args);
            return new CliRun(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
    }

    /** {@code stevedore run PLAYBOOK options...}. */
    public CliRun runPlaybook(Path playbook, String... options) {
        List<String> args = new ArrayList<>(List.of("run", playbook.toString()));
        args.addAll(List.of(options));
        return run(args.toArray(String[]::new));
    }

    /** Writes {@code playbookYaml} to {@code directory/playbook.yaml} and runs it. */
    public CliRun runYaml(Path directory, String playbookYaml, String... options) {
        Path playbook = directory.resolve("playbook.yaml");
        try {
            Files.writeString(playbook, playbookYaml, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return runPlaybook(playbook, options);
    }
}
