package dev.stevedore.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.testsupport.FaultProxy;
import dev.stevedore.testsupport.RegistryServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The progress display as an operator sees it: the CLI pulls from the real registry, in a real terminal
 * (tmux), through a proxy that holds every layer for a while after its first 100 KiB, so the screen can
 * be read while transfers are in flight. Piped, the same pull prints one line per image and no escape
 * codes.
 */
class ProgressDisplayIT {

    private static final int IMAGES = 24;
    private static final int LAYER_BYTES = 400 * 1024;
    private static final int COLUMNS = 80;
    private static final int ROWS = 8;

    private static final Pattern OVERALL = Pattern.compile(
            "  (pull images: )?\\d+/" + IMAGES + " done, [\\d.]+ [KMG]?i?B / [\\d.]+ [KMG]?i?B, (--|[\\d.]+ [KMG]?i?B)/s, ETA (--|\\S+)");
    private static final Pattern IN_FLIGHT = Pattern.compile("    \\S.*  [\\d.]+ [KMG]?i?B / [\\d.]+ [KMG]?i?B  \\d+%");
    private static final Pattern MORE = Pattern.compile("    \\.\\.\\. and \\d+ more in flight");
    private static final Pattern FINISHED = Pattern.compile(
            "  \\S+/library/image-\\d\\d:1.0 -> \\S+: copied, 400.\\d KiB transferred \\(.+/s\\)");

    @TempDir
    static Path work;

    private static RegistryServer registry;

    @BeforeAll
    static void registryWithTheImages() throws Exception {
        registry = RegistryServer.start();
        SampleBundle.write(work.resolve("bundle"), IMAGES, LAYER_BYTES);
        Path push = Files.writeString(work.resolve("push.yaml"), """
                - hosts: localhost
                  tasks:
                    - image:
                        push:
                          images_dir: "%s"
                          dest: "%s/${module.image.src.reference.repository}:${module.image.src.reference.reference}"
                          auths: [{repo: "%s", plain_http: true}]
                """.formatted(work.resolve("bundle"), registry.hostPort(), registry.hostPort()));
        Piped seeded = runPiped(push);
        assertEquals(0, seeded.exit(), seeded.output());
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void onATerminalTheScreenShowsAnOverallLineAndOnlyTheTransfersInFlightAndNothingStaleAfterwards() throws Exception {
        try (FaultProxy proxy = slowProxy(); Tmux tmux = pullOnATerminal(proxy, "pulled-on-a-terminal")) {
            // A full block with more in flight than fit: the first full screen may come while the transfers
            // still start, with as many in flight as there are rows.
            List<String> screen = tmux.awaitScreen(s -> block(s).size() > ROWS - 2
                    && MORE.matcher(block(s).get(block(s).size() - 1)).matches(), 60, "a full block of transfers, and more");
            List<String> block = block(screen);
            assertEquals(1, screen.stream().filter(line -> OVERALL.matcher(line).matches()).count(), String.join("\n", screen));
            assertTrue(block.get(0).startsWith("  pull images: "), "the label shows where there is room: " + block);
            assertTrue(block.size() <= ROWS - 1, "the block fits the screen with the cursor's row below it: " + block);
            List<String> items = block.subList(1, block.size());
            assertTrue(items.stream().allMatch(line -> IN_FLIGHT.matcher(line).matches() || MORE.matcher(line).matches()), block.toString());
            assertTrue(MORE.matcher(items.get(items.size() - 1)).matches(), "more images are in flight than fit: " + block);
            assertTrue(items.stream().filter(line -> IN_FLIGHT.matcher(line).matches()).allMatch(line -> line.contains("...")),
                    "names too long for " + COLUMNS + " columns are shortened in the middle: " + block);
            assertTrue(block.stream().allMatch(line -> line.length() < COLUMNS), "no block line wraps: " + block);

            List<String> history = awaitEnd(tmux);
            assertEquals(IMAGES, history.stream().filter(line -> FINISHED.matcher(line).matches()).count(), String.join("\n", history));
            assertFalse(history.stream().anyMatch(ProgressDisplayIT::isLive), "no live line is left behind:\n" + String.join("\n", history));
            assertTrue(history.stream().anyMatch(line -> line.startsWith("localhost : ok=1 changed=1 failed=0")), String.join("\n", history));
        }
    }

    /**
     * After a resize the block is redrawn for the new width. Only the screen is checked: a terminal that
     * rewraps its lines on a resize (tmux does) may push the top of the old block into its scrollback
     * before the program hears of the resize, where no redraw can reach it.
     */
    @Test
    void afterTheTerminalNarrowsTheBlockIsRedrawnToItsNewWidth() throws Exception {
        try (FaultProxy proxy = slowProxy(); Tmux tmux = pullOnATerminal(proxy, "pulled-while-resizing")) {
            tmux.awaitScreen(s -> block(s).size() > ROWS - 2, 60, "a full block of transfers");
            tmux.resize(60, ROWS);
            List<String> narrow = tmux.awaitScreen(s -> !block(s).isEmpty() && s.stream().allMatch(line -> line.length() < 60),
                    30, "the block redrawn for 60 columns");
            assertEquals(1, narrow.stream().filter(line -> OVERALL.matcher(line).matches()).count(), String.join("\n", narrow));
            assertTrue(block(narrow).stream().skip(1).anyMatch(line -> IN_FLIGHT.matcher(line).matches()), String.join("\n", narrow));

            awaitEnd(tmux);
            List<String> end = tmux.screen();
            assertFalse(end.stream().anyMatch(ProgressDisplayIT::isLive), "no live line is left on the screen:\n" + String.join("\n", end));
        }
    }

    @Test
    void pipedOutputHasOneLinePerImageAndNoEscapeCodes() throws Exception {
        Piped run = runPiped(pull(registry.hostPort(), work.resolve("pulled-through-a-pipe")));

        assertEquals(0, run.exit(), run.output());
        assertFalse(run.output().contains("\u001b"), run.output());
        List<String> lines = run.output().lines().toList();
        assertEquals(IMAGES, lines.stream().filter(line -> FINISHED.matcher(line).matches()).count(), run.output());
        assertFalse(lines.stream().anyMatch(line -> line.contains("pull images:")), run.output());
    }

    /** Holds every layer for a while after its first 100 KiB, so that the screen can be read mid-transfer. */
    private static FaultProxy slowProxy() throws IOException {
        FaultProxy proxy = FaultProxy.start(registry.baseUri());
        proxy.on("GET", "/v2/.+/blobs/sha256:.+").always().stallBodyAfter(100 * 1024, Duration.ofSeconds(4));
        return proxy;
    }

    private static Tmux pullOnATerminal(FaultProxy proxy, String imagesDir) throws Exception {
        Path playbook = pull(proxy.hostPort(), work.resolve(imagesDir));
        String command = "cd '" + work + "' && '" + java() + "' -jar '" + jar() + "' run '" + playbook + "'; echo $? > '"
                + work.resolve(imagesDir + ".status") + "'; sleep 600";
        return Tmux.start(work.resolve(imagesDir + ".tmux"), COLUMNS, ROWS, command);
    }

    /** Waits for the run in {@code tmux} to end, checks it succeeded, and returns everything the terminal showed. */
    private static List<String> awaitEnd(Tmux tmux) throws Exception {
        Path status = tmux.folder().resolveSibling(tmux.folder().getFileName().toString().replace(".tmux", ".status"));
        awaitFile(status, 120);
        List<String> history = tmux.history();
        assertEquals("0", Files.readString(status).strip(), String.join("\n", history));
        return history;
    }

    private static boolean isLive(String line) {
        return OVERALL.matcher(line).matches() || IN_FLIGHT.matcher(line).matches() || MORE.matcher(line).matches();
    }

    private static List<String> block(List<String> screen) {
        for (int i = 0; i < screen.size(); i++) {
            if (OVERALL.matcher(screen.get(i)).matches()) {
                int end = i + 1;
                while (end < screen.size() && !screen.get(end).isEmpty()) {
                    end++;
                }
                return screen.subList(i, end);
            }
        }
        return List.of();
    }

    private static Path pull(String registryHostPort, Path imagesDir) throws IOException {
        StringBuilder manifests = new StringBuilder();
        for (int i = 0; i < IMAGES; i++) {
            manifests.append(i == 0 ? "" : ", ").append('"').append(registryHostPort).append(String.format("/library/image-%02d:1.0\"", i));
        }
        return Files.writeString(work.resolve(imagesDir.getFileName() + ".yaml"), """
                - hosts: localhost
                  tasks:
                    - name: Pull the images
                      image:
                        pull:
                          manifests: [%s]
                          images_dir: "%s"
                          concurrency: 16
                          auths: [{repo: "%s", plain_http: true}]
                """.formatted(manifests, imagesDir, registryHostPort));
    }

    private record Piped(int exit, String output) { }

    private static Piped runPiped(Path playbook) throws Exception {
        Path output = work.resolve(playbook.getFileName() + ".out");
        Process process = new ProcessBuilder(java(), "-jar", jar(), "run", playbook.toString())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the run did not finish within 120 s: " + Files.readString(output));
        }
        return new Piped(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

    private static void awaitFile(Path file, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!Files.exists(file)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the run did not finish within " + seconds + " s");
            }
            Thread.sleep(100);
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String jar() {
        return System.getProperty("stevedore.jar");
    }
}
