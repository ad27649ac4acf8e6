package dev.stevedore.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./stevedore} launcher as users run it, on the jar this build packaged: its JVM options are
 * valid and silent, its class-data-sharing archive is recorded once and then used, and
 * {@code STEVEDORE_JAVA_OPTS} wins over its defaults. Each test runs a copy of the launcher in its own
 * checkout-shaped directory, so the archive it records is the test's own and no build is started.
 */
class LauncherIT {

    private static final String PLAYBOOK = """
            - hosts: localhost
              tasks:
                - debug:
                    msg: "launched"
            """;

    @TempDir
    Path root;

    private Path archive;
    private Path playbook;

    @BeforeEach
    void checkoutWithBuiltJar() throws IOException {
        Path launcher = root.resolve("stevedore");
        Files.copy(Path.of(System.getProperty("stevedore.launcher")), launcher, StandardCopyOption.COPY_ATTRIBUTES);
        Path jar = root.resolve("src/target/stevedore.jar");
        Files.createDirectories(jar.getParent());
        Files.copy(Path.of(System.getProperty("stevedore.jar")), jar);
        archive = root.resolve("src/target/stevedore.jsa");
        playbook = Files.writeString(root.resolve("playbook.yaml"), PLAYBOOK);
    }

    @Test
    void printsItsVersionAndNothingElse() throws Exception {
        Run run = launch(null, "--version");

        assertEquals(0, run.exit(), run.stderr());
        assertTrue(run.stdout().matches("stevedore \\S+\n"), "stdout: " + run.stdout());
        assertEquals("", run.stderr());
    }

    @Test
    void firstRunRecordsTheArchiveAndTheNextRunLoadsClassesFromIt() throws Exception {
        Run first = launch(null, "run", playbook.toString());

        assertEquals(0, first.exit(), first.stderr());
        assertEquals("", first.stderr(), "no JVM warning may reach the user");
        assertTrue(Files.size(archive) > 0, "the archive is recorded");
        try (Stream<Path> files = Files.list(archive.getParent())) {
            assertEquals(List.of(), files.filter(f -> f.getFileName().toString().startsWith("stevedore.jsa.")).toList(),
                    "no half-written recording is left");
        }

        Path classLog = root.resolve("classes.log");
        Run second = launch("-Xlog:class+load=info:file=" + classLog, "run", playbook.toString());

        assertEquals(0, second.exit(), second.stderr());
        assertEquals(first.stdout(), second.stdout());
        assertTrue(Files.readAllLines(classLog).stream()
                        .anyMatch(line -> line.contains("dev.stevedore.engine.cli.Main source: shared objects file")),
                "the engine's classes come from the archive");
    }

    @Test
    void log4jStartsOnlyWhenDebugLinesAreAskedFor() throws Exception {
        Path classLog = root.resolve("classes.log");
        Run quiet = launch("-Xlog:class+load=info:file=" + classLog, "run", playbook.toString());

        assertEquals(0, quiet.exit(), quiet.stderr());
        assertEquals("", quiet.stderr());
        assertFalse(Files.readAllLines(classLog).stream().anyMatch(line -> line.contains("org.apache.logging.log4j.core.")),
                "Log4j was started at the default level");

        Run debug = launch(null, "run", playbook.toString(), "-vv");

        assertEquals(0, debug.exit(), debug.stderr());
        assertTrue(debug.stderr().contains("[DEBUG] TaskRunner: running module debug"), "stderr: " + debug.stderr());
    }

    @Test
    void aSourceNewerThanTheJarStartsABuild() throws Exception {
        newerThanTheJar(root.resolve("engine/src/main/java/Changed.java"));

        Run run = launch(null, "--version");

        // The copy has no pom.xml, so Maven fails; what counts is that the launcher tried.
        assertTrue(run.stderr().contains("stevedore: building"), "stderr: " + run.stderr());
    }

    @Test
    void filesOutsideTheModuleTreesStartNoBuild() throws Exception {
        // Images kept in the checkout (the benchmark's work directory) are not sources, even in a
        // directory named src.
        newerThanTheJar(root.resolve("bench/work/images/src/blobs/sha256/0123"));

        Run run = launch(null, "--version");

        assertEquals(0, run.exit(), run.stderr());
        assertEquals("", run.stderr());
    }

    @Test
    void javaOptionsFromTheEnvironmentOverrideTheDefaults() throws Exception {
        Run run = launch("-Xmx200m -XX:+PrintCommandLineFlags", "--version");

        assertEquals(0, run.exit(), run.stderr());
        String flags = run.stdout().lines().findFirst().orElse("");
        assertTrue(flags.contains("-XX:MaxHeapSize=209715200"), flags);
        assertTrue(flags.contains("-XX:+UseSerialGC"), "the defaults still apply: " + flags);
        assertTrue(flags.contains("-XX:Tier4InvocationThreshold=50000"), "the defaults still apply: " + flags);
    }

    private record Run(int exit, String stdout, String stderr) { }

    private void newerThanTheJar(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "changed");
        Path jar = root.resolve("src/target/stevedore.jar");
        Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 60_000));
    }

    private Run launch(String javaOptions, String... arguments) throws Exception {
        List<String> command = Stream.concat(Stream.of(root.resolve("stevedore").toString()), Stream.of(arguments)).toList();
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile())
                .redirectOutput(root.resolve("stdout").toFile())
                .redirectError(root.resolve("stderr").toFile());
        builder.environment().remove("STEVEDORE_JAVA_OPTS");
        if (javaOptions != null) {
            builder.environment().put("STEVEDORE_JAVA_OPTS", javaOptions);
        }
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the launcher did not finish within 60 s: " + command);
        }
        return new Run(process.exitValue(), Files.readString(root.resolve("stdout"), StandardCharsets.UTF_8),
                Files.readString(root.resolve("stderr"), StandardCharsets.UTF_8));
    }
}
