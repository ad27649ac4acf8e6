package dev.stevedore.image.reliability;

import dev.stevedore.engine.cli.Main;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code stevedore} command in a child JVM on the test class path (modules found by
 * {@code ServiceLoader}, default settings), so a test can run it beside another one or kill it with
 * SIGKILL. Output goes to a log file, shown when an assertion fails.
 */
final class CliProcess {

    private final Process process;
    private final Path log;

    private CliProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code stevedore args...}; {@code home} stands in for the user's home (no Docker config, no proxy). */
    static CliProcess start(Path home, Path log, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        // Tests talk only to 127.0.0.1 servers they started: no proxy, no Docker config of the machine.
        env.keySet().removeIf(name -> name.toLowerCase().endsWith("_proxy") || name.equals("DOCKER_CONFIG"));
        env.put("HOME", home.toString());
        return new CliProcess(builder.start(), log);
    }

    /** Waits for the exit status; kills the child and fails if it takes longer than {@code seconds}. */
    int await(long seconds) throws IOException, InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("stevedore did not finish within " + seconds + " s:\n" + output());
        }
        return process.exitValue();
    }

    /** SIGKILL on Linux: no shutdown hook, no cleanup, as a power cut or the OOM killer would leave it. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String output() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }
}
