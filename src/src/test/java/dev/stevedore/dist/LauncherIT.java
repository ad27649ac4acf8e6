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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./stevedore} launcher as users run it, on the jar this build packaged: its JVM options are
 * valid and silent, it runs on the newest JDK 17 or later it finds, its class-data-sharing archive (JDK 17 to
 * 24) or ahead-of-time cache (JDK 25 and later) is recorded once and then used, and
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
    void printsItsVersionAndItsRuntimeAndNothingElse() throws Exception {
        Run run = launch(null, "--version");

        assertEquals(0, run.exit(), run.stderr());
        assertTrue(run.stdout().matches("stevedore \\S+\nruntime: Java \\S+, /\\S*\n"), "stdout: " + run.stdout());
        assertEquals("", run.stderr());
    }

    /** The JDK running the tests: the one CI installs (17), given to the launcher outright. */
    private static final String TEST_JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    /** Where JDKs are installed here; a JDK 25 or later among them is the one the AOT cache is tested on. */
    private static final Path JVMS = Path.of("/usr/lib/jvm");

    @Test
    void theNewestJdkFoundRunsTheJarWhereverItIs() throws Exception {
        Path jdks = root.resolve("jdks");
        Path javaHome = fakeJdk(jdks.resolve("home-21"), "21.0.4");
        Path onPath = fakeJdk(jdks.resolve("path-17"), "17.0.15");
        Path installed = root.resolve("jvm");
        fakeJdk(installed.resolve("jdk-23"), "23.0.1");
        fakeJdk(installed.resolve("jdk-11"), "11.0.2");
        fakeJdk(installed.resolve("jdk-100"), "100"); // not a JDK: no bin/java that runs
        Files.delete(installed.resolve("jdk-100/bin/java"));
        Map<String, String> environment = Map.of("JAVA_HOME", javaHome.toString(), "PATH", onPath.resolve("bin") + ":/usr/bin:/bin",
                "STEVEDORE_JVM_DIR", installed.toString());

        Run newest = launch(null, environment, "--version");

        assertEquals(0, newest.exit(), newest.stderr());
        assertTrue(newest.stdout().startsWith("java 23.0.1 "), "the newest, from the JVM directory: " + newest.stdout());
        assertTrue(newest.stdout().contains(" -jar " + root.resolve("src/target/stevedore.jar") + " --version"), newest.stdout());

        fakeJdk(onPath, "23.0.2");
        Run first = launch(null, environment, "--version");
        assertTrue(first.stdout().startsWith("java 23.0.2 "), "of two of release 23, the first found (PATH's): " + first.stdout());

        Run named = launch(null, Map.of("STEVEDORE_JAVA", javaHome.resolve("bin/java").toString()), "--version");
        assertTrue(named.stdout().startsWith("java 21.0.4 "), "STEVEDORE_JAVA names it outright: " + named.stdout());
    }

    @Test
    void aJavaThatIsALinkIsResolvedToItsHomeAndAHomeReachedThroughALinkedFolderSaysItsRelease() throws Exception {
        Path jdks = root.resolve("jdks");
        // As /usr/bin/java is, through /etc/alternatives: the release file is beside the java the link leads to.
        Path linkedTo = fakeJdk(jdks.resolve("alternative-24"), "24.0.1");
        Path onPath = Files.createDirectories(root.resolve("usr/bin"));
        Files.createSymbolicLink(onPath.resolve("java"), linkedTo.resolve("bin/java"));
        Path installed = Files.createDirectories(root.resolve("jvm"));
        fakeJdk(installed.resolve("jdk-23"), "23.0.1");
        Map<String, String> environment = Map.of("JAVA_HOME", "", "PATH", onPath + ":/usr/bin:/bin", "STEVEDORE_JVM_DIR", installed.toString());

        Run resolved = launch(null, environment, "--version");

        assertEquals(0, resolved.exit(), resolved.stderr());
        assertTrue(resolved.stdout().startsWith("java 24.0.1 "), "PATH's java, resolved to its home: " + resolved.stdout());

        // As /usr/lib/jvm/java-1.17.0-openjdk-amd64 is: a folder that links to a home.
        Files.createSymbolicLink(installed.resolve("jdk-26-link"), fakeJdk(jdks.resolve("real-26"), "26"));
        Run linkedFolder = launch(null, environment, "--version");
        assertTrue(linkedFolder.stdout().startsWith("java 26 "), "the home through the linked folder: " + linkedFolder.stdout());
    }

    @Test
    void onJdk25TheFirstRunRecordsAnAotCacheAndTheNextRunLoadsClassesFromIt() throws Exception {
        Optional<Path> jdk25 = jdk25();
        Assumptions.assumeTrue(jdk25.isPresent(), "no JDK 25 or later under " + JVMS);
        Map<String, String> environment = Map.of("STEVEDORE_JAVA", jdk25.get().toString());
        Path cache = root.resolve("src/target/stevedore.aot");

        Run first = launch(null, environment, "run", playbook.toString());

        assertEquals(0, first.exit(), first.stderr());
        assertEquals("", first.stderr(), "no JVM warning may reach the user");
        assertFalse(first.stdout().contains("AOT"), "the recording JVM's own lines stay out of the output: " + first.stdout());
        assertTrue(Files.size(cache) > 0, "the cache is recorded");
        assertFalse(Files.exists(archive), "no class-data-sharing archive beside it");
        try (Stream<Path> files = Files.list(cache.getParent())) {
            assertEquals(List.of(), files.map(f -> f.getFileName().toString()).filter(f -> f.matches("stevedore\\.aot.*\\.[0-9]+.*")).toList(),
                    "no half-written recording or configuration is left");
        }

        Path classLog = root.resolve("classes.log");
        Run second = launch("-Xlog:class+load=info:file=" + classLog, environment, "run", playbook.toString());

        assertEquals(0, second.exit(), second.stderr());
        assertEquals("", second.stderr());
        assertEquals(first.stdout(), second.stdout());
        assertTrue(Files.readAllLines(classLog).stream()
                        .anyMatch(line -> line.contains("dev.stevedore.engine.cli.Main source: shared objects file")),
                "the engine's classes come from the cache");
    }

    @Test
    void firstRunRecordsTheArchiveAndTheNextRunLoadsClassesFromIt() throws Exception {
        Assumptions.assumeTrue(Runtime.version().feature() < 25, "the archive is JDK 17 to 24's; this is " + Runtime.version());
        Map<String, String> environment = Map.of("STEVEDORE_JAVA", TEST_JAVA);
        Run first = launch(null, environment, "run", playbook.toString());

        assertEquals(0, first.exit(), first.stderr());
        assertEquals("", first.stderr(), "no JVM warning may reach the user");
        assertTrue(Files.size(archive) > 0, "the archive is recorded");
        try (Stream<Path> files = Files.list(archive.getParent())) {
            assertEquals(List.of(), files.filter(f -> f.getFileName().toString().startsWith("stevedore.jsa.")).toList(),
                    "no half-written recording is left");
        }

        Path classLog = root.resolve("classes.log");
        Run second = launch("-Xlog:class+load=info:file=" + classLog, environment, "run", playbook.toString());

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

        Path temp = Files.createDirectories(root.resolve("tmp"));
        Run run = launch(null, Map.of("TMPDIR", temp.toString()), "--version");

        // The copy has no pom.xml, so Maven fails: the launcher tried, and shows what Maven said only then.
        assertTrue(run.stderr().startsWith("stevedore: building"), "stderr: " + run.stderr());
        assertTrue(run.stderr().contains("[ERROR]"), "Maven's output, kept while it built, is shown: " + run.stderr());
        assertTrue(run.stderr().endsWith("stevedore: the build failed (see the Maven output above)\n"), "stderr: " + run.stderr());
        assertEquals(1, run.exit());
        assertEquals("", run.stdout());
        try (Stream<Path> left = Files.list(temp)) {
            assertEquals(List.of(), left.toList(), "the build's log is removed");
        }
    }

    @Test
    void twoLaunchesAfterASourceChangeBuildOnceAndBothRun() throws Exception {
        newerThanTheJar(root.resolve("engine/src/main/java/Changed.java"));
        // A Maven that takes a while and leaves a jar newer than the change, as a real build does: without a lock,
        // both launches ran it, in one target/ tree, and both failed.
        Path bin = Files.createDirectories(root.resolve("bin"));
        Path mvn = Files.writeString(bin.resolve("mvn"), """
                #!/bin/sh
                echo "$*" >> builds
                sleep 1
                touch -d "@$(( $(date +%s) + 120 ))" src/target/stevedore.jar
                """);
        mvn.toFile().setExecutable(true);
        Path script = Files.writeString(root.resolve("launch-twice.sh"), """
                "$1/stevedore" --version > "$1/one.out" 2>&1 & one=$!
                "$1/stevedore" --version > "$1/two.out" 2>&1 & two=$!
                wait $one; first=$?
                wait $two; echo "$first $?"
                """);
        Run run = launchThrough(script, Map.of("PATH", bin + ":" + System.getenv("PATH")));

        assertEquals("0 0\n", run.stdout(), run.stderr());
        assertEquals(List.of("-B -q -DskipTests -Ddist.skip=true package"), Files.readAllLines(root.resolve("builds")));
        for (String out : List.of("one.out", "two.out")) {
            assertTrue(Files.readString(root.resolve(out)).contains("\nruntime: Java "), out + ": " + Files.readString(root.resolve(out)));
        }
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

    @Test
    void underTheCLocaleAPathWithAnUmlautIsStillNamed() throws Exception {
        // The name goes through a script as bytes: this JVM, under the C locale too on a bare CI machine, could
        // neither create such a path nor pass it as an argument. One blob makes it a bundle verify checks: an empty
        // folder is refused as not one.
        Path script = Files.writeString(root.resolve("verify-umlaut.sh"), """
                dir="$1/$(printf 'b\\303\\274ndel')"
                mkdir -p "$dir/blobs"
                printf 'layer' > "$dir/blobs/sha256:$(printf 'layer' | sha256sum | cut -d' ' -f1)"
                exec "$1/stevedore" verify "$dir"
                """);
        Run run = launchThrough(script, Map.of("LC_ALL", "C", "LANG", "C"));

        assertEquals(0, run.exit(), run.stdout() + run.stderr());
        assertTrue(run.stdout().endsWith("images directory " + root + "/b\u00fcndel: all present and intact\n"), run.stdout());

        // The jar run without the launcher cannot name it, and says why and what to do instead of a stack trace.
        Path direct = Files.writeString(root.resolve("verify-umlaut-direct.sh"), """
                exec "%s" -jar "$1/src/target/stevedore.jar" verify "$1/$(printf 'b\\303\\274ndel')"
                """.formatted(TEST_JAVA));
        Run withoutLauncher = launchThrough(direct, Map.of("LC_ALL", "C", "LANG", "C"));
        assertEquals(1, withoutLauncher.exit(), withoutLauncher.stdout() + withoutLauncher.stderr());
        assertTrue(withoutLauncher.stderr().startsWith("stevedore verify: the path '" + root + "/b"), withoutLauncher.stderr());
        assertTrue(withoutLauncher.stderr().endsWith("cannot hold it; run under a UTF-8 locale, such as LC_ALL=C.UTF-8 (the"
                + " stevedore launcher sets that when the locale has none)\n"), withoutLauncher.stderr());
    }

    private record Run(int exit, String stdout, String stderr) { }

    private void newerThanTheJar(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "changed");
        Path jar = root.resolve("src/target/stevedore.jar");
        Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 60_000));
    }

    /** A JDK home that says its release and whose java prints that release and the arguments it was given. */
    private static Path fakeJdk(Path home, String release) throws IOException {
        Files.createDirectories(home.resolve("bin"));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"" + release + "\"\n");
        Path java = home.resolve("bin/java");
        Files.writeString(java, "#!/bin/sh\necho \"java " + release + " $*\"\n");
        java.toFile().setExecutable(true);
        return home;
    }

    private static Optional<Path> jdk25() throws IOException {
        if (!Files.isDirectory(JVMS)) {
            return Optional.empty();
        }
        try (Stream<Path> homes = Files.list(JVMS)) {
            return homes.filter(home -> Files.isExecutable(home.resolve("bin/java")))
                    .filter(home -> release(home) >= 25).map(home -> home.resolve("bin/java")).findFirst();
        }
    }

    private static int release(Path home) {
        try {
            return Files.readAllLines(home.resolve("release")).stream().filter(line -> line.startsWith("JAVA_VERSION=\""))
                    .map(line -> line.replaceAll("JAVA_VERSION=\"([0-9]+).*", "$1")).mapToInt(Integer::parseInt).findFirst().orElse(0);
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    private Run launch(String javaOptions, String... arguments) throws Exception {
        return launch(javaOptions, Map.of(), arguments);
    }

    private Run launch(String javaOptions, Map<String, String> environment, String... arguments) throws Exception {
        return run(Stream.concat(Stream.of(root.resolve("stevedore").toString()), Stream.of(arguments)).toList(), javaOptions,
                environment);
    }

    /** Runs {@code script} with bash, the checkout as its $1, for what it launches. */
    private Run launchThrough(Path script, Map<String, String> environment) throws Exception {
        return run(List.of("bash", script.toString(), root.toString()), null, environment);
    }

    private Run run(List<String> command, String javaOptions, Map<String, String> environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile())
                .redirectOutput(root.resolve("stdout").toFile())
                .redirectError(root.resolve("stderr").toFile());
        builder.environment().remove("STEVEDORE_JAVA_OPTS");
        builder.environment().remove("STEVEDORE_JAVA");
        builder.environment().putAll(environment);
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
