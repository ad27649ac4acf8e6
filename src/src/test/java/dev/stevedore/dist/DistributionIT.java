package dev.stevedore.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.testsupport.RegistryServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tarball for the air-gapped side, as an operator uses it: unpacked into a folder of its own and run
 * through {@code bin/stevedore} with neither {@code java} nor {@code mvn} on {@code PATH} (a folder of
 * links to every other program of the machine), against the real registry over TLS with basic auth.
 */
class DistributionIT {

    private static final String USER = "carrier";
    private static final String PASSWORD = "across-the-gap";

    @TempDir
    static Path shared;

    private static Path tools;

    @TempDir
    Path work;

    private Path home;

    @BeforeAll
    static void pathWithoutJavaOrMaven() throws IOException {
        tools = Files.createDirectories(shared.resolve("tools"));
        for (String dir : List.of("/usr/local/bin", "/usr/bin", "/bin")) {
            try (Stream<Path> programs = Files.list(Path.of(dir))) {
                for (Path program : programs.toList()) {
                    Path link = tools.resolve(program.getFileName());
                    String real = program.toRealPath().toString();
                    boolean jdkOrMaven = real.startsWith("/usr/lib/jvm/") || real.contains("/maven") || real.contains("/jdk");
                    if (!jdkOrMaven && !Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        Files.createSymbolicLink(link, program);
                    }
                }
            }
        }
    }

    @BeforeEach
    void unpack() throws Exception {
        home = Files.createDirectories(work.resolve("home"));
        Run untar = run(List.of("tar", "-xzf", tarball().toString(), "-C", work.toString()));
        assertEquals(0, untar.exit(), untar.output());
    }

    @Test
    void nothingOnThePathCanStartJavaOrMaven() throws Exception {
        Run which = run(List.of("bash", "-c", "command -v java; command -v mvn; command -v javac; echo checked"));
        assertEquals("checked\n", which.output());
    }

    @Test
    void unpackedAnywhereItPushesAndPullsOverTlsWithBasicAuth() throws Exception {
        try (RegistryServer registry = RegistryServer.builder().tls().basicAuth(USER, PASSWORD).start()) {
            Path bundle = work.resolve("bundle");
            SampleBundle.write(bundle, 3, 64 * 1024);
            String auths = "[{registry: \"%s\", username: \"%s\", password: \"%s\", ca_file: \"%s\"}]".formatted(registry.hostPort(),
                    USER, PASSWORD, registry.certificates().orElseThrow().caCertificate());
            Path push = Files.writeString(work.resolve("push.yaml"), """
                    - hosts: localhost
                      tasks:
                        - name: Push the bundle into the site registry
                          image:
                            src: "local://%s"
                            dest: "oci://%s/${module.image.reference.repository}:${module.image.reference.reference}"
                            auths: %s
                    """.formatted(bundle, registry.hostPort(), auths));
            Run pushed = stevedore(distribution(), "run", push.toString());
            assertEquals(0, pushed.exit(), pushed.output());
            assertTrue(pushed.output().contains("changed: 3 images: 3 copied"), pushed.output());

            Path pulledDir = work.resolve("pulled");
            Path pull = Files.writeString(work.resolve("pull.yaml"), """
                    - hosts: localhost
                      tasks:
                        - name: Pull them back
                          image:
                            manifests: ["%1$s/library/image-00:1.0", "%1$s/library/image-01:1.0", "%1$s/library/image-02:1.0"]
                            dest: "local://%2$s"
                            auths: %3$s
                    """.formatted(registry.hostPort(), pulledDir, auths));
            Run pulled = stevedore(distribution(), "run", pull.toString());
            assertEquals(0, pulled.exit(), pulled.output());
            assertTrue(pulled.output().contains("changed: 3 images: 3 copied"), pulled.output());
            assertFalse(pulled.output().contains(PASSWORD) || pushed.output().contains(PASSWORD));

            assertEquals(files(bundle.resolve("blobs")), files(pulledDir.resolve("blobs")), "every blob came back byte for byte");
            for (int i = 0; i < 3; i++) {
                String repository = String.format("library/image-%02d/manifests/1.0", i);
                assertEquals(Files.readString(bundle.resolve("demo.local").resolve(repository)),
                        Files.readString(pulledDir.resolve(registry.hostPort()).resolve(repository)), repository);
            }
        }
    }

    @Test
    void theRuntimeHoldsOnlyTheModulesTheToolNeeds() throws IOException {
        Path runtime = distribution().resolve("runtime");
        String modulesLine = Files.readAllLines(runtime.resolve("release")).stream()
                .filter(line -> line.startsWith("MODULES=")).findFirst().orElseThrow();
        Set<String> modules = Set.of(modulesLine.substring("MODULES=".length()).replace("\"", "").split(" "));
        assertTrue(modules.containsAll(Set.of("java.base", "java.net.http", "jdk.crypto.ec", "java.desktop")), modules.toString());
        for (String developmentModule : List.of("jdk.compiler", "jdk.jlink", "jdk.jshell", "jdk.javadoc", "jdk.jdeps",
                "jdk.hotspot.agent", "jdk.jdi", "jdk.localedata", "jdk.incubator.vector")) {
            assertFalse(modules.contains(developmentModule), developmentModule + " is in " + modules);
        }
        assertFalse(Files.exists(runtime.resolve("bin/javac")));
        assertFalse(Files.exists(runtime.resolve("jmods")));
        assertTrue(Files.isExecutable(distribution().resolve("bin/stevedore")));
        assertTrue(Files.isRegularFile(distribution().resolve("lib/stevedore.jar")));
    }

    /**
     * The runtime is the newest JDK the build machine has (JDK 25 with its AOT cache measured best, BENCHMARKS.md),
     * or the one STEVEDORE_DIST_JDK named for the build.
     */
    @Test
    void theRuntimeIsTheNewestJdkOfTheBuildMachine() throws IOException {
        String named = System.getenv("STEVEDORE_DIST_JDK");
        int expected = named != null && !named.isEmpty() ? release(Path.of(named)) : Runtime.version().feature(); // Maven's, the fallback
        if (named == null || named.isEmpty()) {
            try (Stream<Path> jdks = Files.list(Path.of("/usr/lib/jvm"))) {
                for (Path jdk : jdks.filter(jdk -> Files.isExecutable(jdk.resolve("bin/jlink")) && Files.exists(jdk.resolve("release"))).toList()) {
                    expected = Math.max(expected, release(jdk));
                }
            }
        }
        assertEquals(expected, release(distribution().resolve("runtime")));
    }

    @Test
    void onJdk17TheFirstRunDumpsTheClassDataArchiveWhereItWasUnpackedAndLaterRunsMapIt() throws Exception {
        Assumptions.assumeTrue(release(distribution().resolve("runtime")) < 25, "the runtime carries an AOT cache instead");
        Path archive = distribution().resolve("lib/stevedore.jsa");
        assertFalse(Files.exists(archive), "the tarball cannot carry an archive for a place it does not know");

        Run first = stevedore(distribution(), "--version");
        assertEquals(0, first.exit(), first.output());
        assertVersionAndNothingElse(first);
        assertTrue(Files.size(archive) > 0);

        assertTrue(mapsTheEngineFromTheArchive(distribution()));

        Path moved = work.resolve("elsewhere/stevedore");
        Files.createDirectories(moved.getParent());
        Files.move(distribution(), moved);
        assertTrue(mapsTheEngineFromTheArchive(moved), "a moved distribution dumps an archive for its new place");
    }

    @Test
    void onJdk17WhereLibIsNotWritableTheArchiveGoesToTheUsersCache() throws Exception {
        Assumptions.assumeTrue(release(distribution().resolve("runtime")) < 25, "the runtime carries an AOT cache instead");
        Path lib = distribution().resolve("lib");
        List<String> asOperator = operatorWhoCannotWrite(lib);
        try {
            Path classLog = home.resolve("classes.log");
            List<String> command = new ArrayList<>(asOperator);
            command.addAll(List.of(distribution().resolve("bin/stevedore").toString(), "--version"));
            Run run = run(command, Map.of("STEVEDORE_JAVA_OPTS", "-Xlog:class+load=info:file=" + classLog));
            assertEquals(0, run.exit(), run.output());
            assertFalse(Files.exists(lib.resolve("stevedore.jsa")));
            try (Stream<Path> cached = Files.list(home.resolve(".cache/stevedore"))) {
                assertTrue(cached.anyMatch(f -> f.getFileName().toString().endsWith(".jsa")), "the archive is in the cache");
            }
            // The first run dumped the archive before it started, so it already mapped it.
            assertTrue(mapsTheEngine(classLog));
        } finally {
            run(List.of("chmod", "u+w", lib.toString()));
        }
    }

    /**
     * JDK 25's ahead-of-time cache may move with its jar, so the build's training run made it and the tarball
     * carries it: the first run maps it, wherever the tarball was unpacked, and writes nothing, also where
     * {@code lib/} is read-only.
     */
    @Test
    void onJdk25TheTarballCarriesAnAotCacheThatEveryRunMapsWhereverItIsUnpacked() throws Exception {
        Assumptions.assumeTrue(release(distribution().resolve("runtime")) >= 25, "a JDK 17 runtime dumps its archive in place");
        Path lib = distribution().resolve("lib");
        assertTrue(Files.size(lib.resolve("stevedore.aot")) > 0);
        assertFalse(Files.exists(lib.resolve("stevedore.classlist")));
        List<String> before = listing(lib);

        Run first = stevedore(distribution(), "--version");
        assertEquals(0, first.exit(), first.output());
        assertVersionAndNothingElse(first);
        assertTrue(mapsTheEngineFromTheArchive(distribution()));
        assertEquals(before, listing(lib), "nothing recorded: the cache came in the tarball");

        Path moved = work.resolve("elsewhere/stevedore");
        Files.createDirectories(moved.getParent());
        Files.move(distribution(), moved);
        assertTrue(mapsTheEngineFromTheArchive(moved), "the cache moved with the jar");

        Path movedLib = moved.resolve("lib");
        List<String> asOperator = operatorWhoCannotWrite(movedLib);
        try {
            Path classLog = home.resolve("classes.log");
            List<String> command = new ArrayList<>(asOperator);
            command.addAll(List.of(moved.resolve("bin/stevedore").toString(), "--version"));
            Run run = run(command, Map.of("STEVEDORE_JAVA_OPTS", "-Xlog:class+load=info:file=" + classLog));
            assertEquals(0, run.exit(), run.output());
            assertTrue(mapsTheEngine(classLog));
            assertFalse(Files.exists(home.resolve(".cache/stevedore")), "nothing to cache");
        } finally {
            run(List.of("chmod", "u+w", movedLib.toString()));
        }
    }

    /**
     * The command prefix of an operator who may not write to {@code lib}. Root may write anywhere, so as root
     * the launcher runs as {@code nobody} (through setpriv), which is what such an operator is.
     */
    private List<String> operatorWhoCannotWrite(Path lib) throws Exception {
        if (!isRoot()) {
            assertEquals(0, run(List.of("chmod", "a-w", lib.toString())).exit());
            return List.of();
        }
        for (Path start : List.of(work, tools)) {
            for (Path dir = start; dir != null; dir = dir.getParent()) {
                assertEquals(0, run(List.of("chmod", "o+rx", dir.toString())).exit());
            }
        }
        assertEquals(0, run(List.of("chmod", "0777", home.toString())).exit());
        return List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups");
    }

    private static boolean isRoot() throws IOException {
        return "0".equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid").toString());
    }

    /** No JVM warning reaches the user, and the runtime is the bundled one. */
    private void assertVersionAndNothingElse(Run run) throws IOException {
        assertTrue(run.output().matches(Pattern.quote("stevedore " + System.getProperty("stevedore.version") + "\n") + "runtime: Java \\S+, "
                + Pattern.quote(distribution().resolve("runtime").toRealPath().toString()) + "\n"), run.output());
    }

    private static int release(Path javaHome) throws IOException {
        return Files.readAllLines(javaHome.resolve("release")).stream().filter(line -> line.startsWith("JAVA_VERSION="))
                .map(line -> Integer.parseInt(line.replaceAll("^JAVA_VERSION=\"(\\d+).*", "$1"))).findFirst().orElseThrow();
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    private boolean mapsTheEngineFromTheArchive(Path distribution) throws Exception {
        Path classLog = work.resolve("classes-" + System.nanoTime() + ".log");
        Run run = stevedore(distribution, Map.of("STEVEDORE_JAVA_OPTS", "-Xlog:class+load=info:file=" + classLog), "--version");
        assertEquals(0, run.exit(), run.output());
        return mapsTheEngine(classLog);
    }

    private static boolean mapsTheEngine(Path classLog) throws IOException {
        return Files.readAllLines(classLog).stream()
                .anyMatch(line -> line.contains("dev.stevedore.engine.cli.Main source: shared objects file"));
    }

    private Path distribution() {
        return work.resolve("stevedore-" + System.getProperty("stevedore.version"));
    }

    private static Path tarball() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("stevedore.dist.dir")))) {
            List<Path> tarballs = files.filter(f -> f.getFileName().toString().matches("stevedore-.+-linux-.+\\.tar\\.gz")).toList();
            assertEquals(1, tarballs.size(), tarballs.toString());
            assertEquals("stevedore-" + System.getProperty("stevedore.version") + "-linux-x64.tar.gz",
                    tarballs.get(0).getFileName().toString());
            return tarballs.get(0);
        }
    }

    private static Map<String, String> files(Path dir) throws IOException {
        Map<String, String> contents = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                contents.put(file.getFileName().toString(), Arrays.toString(Files.readAllBytes(file)).hashCode() + ":" + Files.size(file));
            }
        }
        return contents;
    }

    private record Run(int exit, String output) { }

    private Run stevedore(Path distribution, String... arguments) throws Exception {
        return stevedore(distribution, Map.of(), arguments);
    }

    private Run stevedore(Path distribution, Map<String, String> environment, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(distribution.resolve("bin/stevedore").toString()));
        command.addAll(List.of(arguments));
        return run(command, environment);
    }

    private Run run(List<String> command) throws Exception {
        return run(command, Map.of());
    }

    /** Runs with only PATH (no java, no mvn), HOME and the given variables: no JAVA_HOME, no MAVEN_OPTS. */
    private Run run(List<String> command, Map<String, String> environment) throws Exception {
        Path output = work.resolve("output-" + System.nanoTime());
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().clear();
        builder.environment().put("PATH", tools.toString());
        builder.environment().put("HOME", home == null ? work.toString() : home.toString());
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish within 120 s: " + Files.readString(output));
        }
        return new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

}
