package dev.stevedore.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example playbooks as a newcomer runs them, following the README: {@code ./stevedore registry start}
 * (or {@code ./stevedore demo --keep}) leaves the demo's registry up with the sample images and prints a
 * command for each example of {@code playbooks/}; that command is the one the example's own comment
 * gives; each runs and succeeds against that registry; {@code ./stevedore registry stop} removes it all.
 * The launcher runs on the jar this build packaged, in a checkout-shaped copy, so no build is started.
 */
class ExamplesIT {

    private static final Path CHECKOUT = Path.of(System.getProperty("stevedore.launcher")).getParent();
    /** Where the examples' comments say the registry and its folder are, the defaults of registry.sh. */
    private static final String DEFAULT_REGISTRY = "127.0.0.1:5000";
    private static final String DEFAULT_DIR = "/tmp/stevedore-demo";
    private static final Pattern COMMENTED_COMMAND = Pattern.compile("(?m)^#   (\\./stevedore run playbooks/(\\S+)\\.yaml.*)$");
    private static final Pattern PRINTED_COMMAND = Pattern.compile("(?m)^  (\\./stevedore run playbooks/(\\S+)\\.yaml.*)$");

    @TempDir
    Path root;

    /** The registry's folder, which stop removes: not a folder JUnit removes too. */
    private Path demoDir;
    private int port;

    @BeforeEach
    void checkoutWithBuiltJar() throws IOException {
        Files.copy(CHECKOUT.resolve("stevedore"), root.resolve("stevedore"), StandardCopyOption.COPY_ATTRIBUTES);
        Path jar = root.resolve("src/target/stevedore.jar");
        Files.createDirectories(jar.getParent());
        Files.copy(Path.of(System.getProperty("stevedore.jar")), jar);
        copyTree(CHECKOUT.resolve("src/demo"), root.resolve("src/demo"));
        copyTree(CHECKOUT.resolve("playbooks"), root.resolve("playbooks"));
        demoDir = root.resolve("demo");
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
    }

    @AfterEach
    void stopWhatever() throws Exception {
        launch("registry", "stop"); // a no-op when a test stopped it already
    }

    @Test
    void everyExampleRunsWithTheCommandItsCommentGivesAgainstTheKeptRegistry() throws Exception {
        Run start = launch("registry", "start");
        assertEquals(0, start.exit(), start.toString());
        assertTrue(listening(), "the registry is up after start returned");
        Map<String, String> printed = commands(PRINTED_COMMAND, start.stdout());
        assertEquals(examples(), List.copyOf(printed.keySet()), "a command is printed for every example playbook");

        for (String example : List.of("hello", "pull", "push", "copy", "bundle")) {
            String commented = commands(COMMENTED_COMMAND, Files.readString(root.resolve("playbooks/" + example + ".yaml"))).get(example);
            String expected = commented.replace(DEFAULT_REGISTRY, "127.0.0.1:" + port).replace(DEFAULT_DIR, demoDir.toString());
            assertEquals(expected, printed.get(example), "what " + example + ".yaml's comment says is what start printed");

            Run run = shell(printed.get(example));
            assertEquals(0, run.exit(), example + ": " + run);
            assertTrue(run.stdout().contains("failed=0"), example + ": " + run);
        }
        assertTrue(Files.exists(demoDir.resolve("copies/oci/index.json")), "copy.yaml wrote its OCI layout");
        assertTrue(Files.exists(demoDir.resolve("bundle-file/bundle.tar.sha256")), "bundle.yaml wrote its archive's part sums");
        assertTrue(Files.exists(demoDir.resolve("bundle-file/site-receipt.json")), "bundle.yaml wrote the receipt of its push");

        Run stop = launch("registry", "stop");
        assertEquals(0, stop.exit(), stop.toString());
        assertFalse(listening(), "the registry is stopped");
        assertFalse(Files.exists(demoDir), "its folder is removed");
    }

    @Test
    void theDemoWithKeepLeavesTheRegistryUpWithTheSampleImagesAndPrintsTheCommands() throws Exception {
        Run demo = launch("demo", "--keep");

        assertEquals(0, demo.exit(), demo.toString());
        assertTrue(demo.stdout().contains("failed=0"), demo.toString());
        assertEquals(examples(), List.copyOf(commands(PRINTED_COMMAND, demo.stdout()).keySet()), demo.toString());
        HttpResponse<Void> hello = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/v2/library/hello/manifests/1.0"))
                .header("Accept", "application/vnd.oci.image.index.v1+json").method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.discarding());
        assertEquals(200, hello.statusCode(), "the sample images are in the kept registry");

        Run again = launch("registry", "start");
        assertEquals(0, again.exit(), again.toString());
        assertEquals(commands(PRINTED_COMMAND, demo.stdout()), commands(PRINTED_COMMAND, again.stdout()),
                "start finds the running registry and prints the same commands");
    }

    @Test
    void demoHelpPrintsHelpAndStartsNothing() throws Exception {
        Run help = launch("demo", "--help");

        assertEquals(0, help.exit(), help.toString());
        assertTrue(help.stdout().startsWith("Usage: ./stevedore demo [--keep]"), help.toString());
        assertFalse(listening(), "no registry was started");
        assertFalse(Files.exists(demoDir.resolve("registry.pid")), "nothing was written");
    }

    private record Run(int exit, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    /** The playbooks an operator runs by hand: every one but the demo's own. */
    private List<String> examples() throws IOException {
        try (Stream<Path> files = Files.list(root.resolve("playbooks"))) {
            return files.map(f -> f.getFileName().toString()).filter(name -> name.endsWith(".yaml"))
                    .map(name -> name.substring(0, name.length() - ".yaml".length())).filter(name -> !name.equals("demo"))
                    .sorted((a, b) -> order(a) - order(b)).toList();
        }
    }

    /** In the order start prints them: hello, then pull before push (which pushes pull's bundle), then copy. */
    private static int order(String example) {
        int index = List.of("hello", "pull", "push", "copy").indexOf(example);
        return index < 0 ? 100 : index;
    }

    /** The first command per example in {@code text}, by example name, in order. */
    private static Map<String, String> commands(Pattern pattern, String text) {
        Map<String, String> commands = new LinkedHashMap<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            commands.putIfAbsent(matcher.group(2), matcher.group(1).strip());
        }
        return commands;
    }

    private boolean listening() {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private Run launch(String... arguments) throws Exception {
        return start(Stream.concat(Stream.of(root.resolve("stevedore").toString()), Stream.of(arguments)).toList());
    }

    private Run shell(String command) throws Exception {
        return start(List.of("bash", "-c", command));
    }

    private Run start(List<String> command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile())
                .redirectOutput(root.resolve("stdout").toFile())
                .redirectError(root.resolve("stderr").toFile());
        builder.environment().remove("STEVEDORE_JAVA_OPTS");
        builder.environment().put("STEVEDORE_DEMO_PORT", String.valueOf(port));
        builder.environment().put("STEVEDORE_DEMO_DIR", demoDir.toString());
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("did not finish within 120 s: " + command);
        }
        return new Run(process.exitValue(), Files.readString(root.resolve("stdout"), StandardCharsets.UTF_8),
                Files.readString(root.resolve("stderr"), StandardCharsets.UTF_8));
    }

    /** Copies a tree with times older than the jar's, so that the launcher sees nothing to build. */
    private void copyTree(Path from, Path to) throws IOException {
        FileTime old = FileTime.fromMillis(Files.getLastModifiedTime(root.resolve("src/target/stevedore.jar")).toMillis() - 3_600_000);
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target, StandardCopyOption.COPY_ATTRIBUTES);
                    Files.setLastModifiedTime(target, old);
                }
            }
        }
    }
}
