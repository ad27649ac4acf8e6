package dev.stevedore.image.reliability;

import dev.stevedore.engine.testkit.CliRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code stevedore} command in a child JVM (this test's class path, so the image module is
 * discovered as in the distribution), with an environment of the test's choosing: {@code PATH} for
 * credential helpers, {@code DOCKER_CONFIG}, no proxy variables. Unlike an in-process run, Log4j writes
 * where it really does (the child's stderr), so the captured output is everything the user would see.
 */
final class ChildCli {

    private static final long TIMEOUT_SECONDS = 120;

    private ChildCli() {
    }

    static CliRun run(Path workingDir, Map<String, String> environment, String... args) throws IOException, InterruptedException {
        return run(List.of(), workingDir, environment, args);
    }

    /**
     * The same, under a limit on the size of any file the child writes (RLIMIT_FSIZE, set by util-linux's
     * {@code prlimit}, in bytes, where a shell's {@code ulimit -f} counts blocks of 512 or 1024 bytes by shell): a
     * write past it fails with EFBIG, as one past 4 GiB less one byte does on FAT32. The JVM ignores the signal
     * that comes with it, so the write fails as an exception.
     */
    static CliRun runWithFileSizeLimit(long bytes, Path workingDir, Map<String, String> environment, String... args)
            throws IOException, InterruptedException {
        return run(List.of("prlimit", "--fsize=" + bytes, "--"), workingDir, environment, args);
    }

    private static CliRun run(List<String> prefix, Path workingDir, Map<String, String> environment, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "dev.stevedore.engine.cli.Main"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDir.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        Path out = Files.createTempFile(workingDir, "stdout", ".txt");
        Path err = Files.createTempFile(workingDir, "stderr", ".txt");
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process process = builder.start();
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("stevedore " + String.join(" ", args) + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            return new CliRun(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            process.destroyForcibly();
            Files.delete(out);
            Files.delete(err);
        }
    }
}
