package dev.stevedore.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.engine.run.CancellationSignal;
import dev.stevedore.engine.testkit.ModuleRun;
import dev.stevedore.engine.testkit.ModuleTestKit;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.spi.Cancellation;
import dev.stevedore.testsupport.FaultProxy;
import dev.stevedore.testsupport.RegistryServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cancelling a pull whose blob downloads stall: the module returns promptly and leaves no partial file under a final name;
 * and images cancelled before they were planned.
 */
class ImageModuleCancellationTest {

    private static final Path SAMPLES = Path.of("..", "src", "demo", "sample-images").toAbsolutePath().normalize();

    @TempDir
    Path work;

    @Test
    void cancellingAStalledPullReturnsPromptlyAndLeavesOnlyCompleteBlobs() throws Exception {
        try (RegistryServer registry = RegistryServer.start();
             FaultProxy proxy = FaultProxy.start(registry.baseUri())) {
            ModuleTestKit kit = ModuleTestKit.of(new ImageModule(new RealTargets()))
                    .withVariable("registry", registry.hostPort())
                    .withVariable("proxy", proxy.hostPort())
                    .withVariable("samples", SAMPLES.toString());
            ModuleRun seeded = kit.runYaml("""
                    push:
                      images_dir: "${samples}"
                      dest: "${registry}/${module.image.src.reference.repository}:${module.image.src.reference.reference}"
                      auths: [{repo: "${registry}", plain_http: true}]
                    """);
            assertEquals("success", seeded.result().stdout(), seeded.result().error());

            proxy.on("GET", "/v2/.*/blobs/.*").always().stallBodyAfter(40, Duration.ofSeconds(60));
            CancellationSignal signal = new CancellationSignal();
            Thread canceller = new Thread(() -> {
                try {
                    // Cancel once a blob transfer is under way (stalled at the proxy), not after a guessed time.
                    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                    while (proxy.requests().stream().noneMatch(r -> r.method().equals("GET") && r.path().contains("/blobs/"))
                            && System.nanoTime() < deadline) {
                        Thread.sleep(20);
                    }
                    Thread.sleep(200);
                    signal.cancel();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            canceller.start();
            long start = System.nanoTime();
            ModuleRun run = kit.withCancellation(signal).runYaml("""
                    manifests: ["${proxy}/library/hello:1.0", "${proxy}/tools/toolbox:2.1"]
                    dest: "local://%s"
                    auths: [{registry: "${proxy}", plain_http: true}]
                    """.formatted(work.resolve("images")));
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            canceller.join();

            assertEquals("failed", run.result().stdout());
            assertTrue(run.result().error().contains("cancelled"), run.result().error());
            assertTrue(seconds < 15, "returned after " + seconds + " s");
            Path blobs = work.resolve("images/blobs");
            if (Files.isDirectory(blobs)) {
                try (Stream<Path> files = Files.list(blobs)) {
                    for (Path file : files.toList()) {
                        String name = file.getFileName().toString();
                        if (name.startsWith("sha256:")) {
                            assertEquals(name, Digest.sha256Of(Files.readAllBytes(file)).toString(), "a final name holds complete content");
                        }
                    }
                }
            }
            try (Stream<Path> all = Files.walk(work.resolve("images"))) {
                List<Path> tags = all.filter(p -> p.toString().endsWith("/manifests/1.0") || p.toString().endsWith("/manifests/2.1")).toList();
                assertEquals(List.of(), tags, "no image is tagged while its blobs are missing");
            }
        }
    }

    @Test
    void anImageCancelledBeforeItWasPlannedNamesWhereItWouldHaveGone() {
        // Ctrl-C once the task has started: the copy then stops before it plans, or reads, any image.
        AtomicInteger asked = new AtomicInteger();
        Cancellation afterTheStart = new Cancellation() {
            @Override public boolean isCancelled() { return asked.getAndIncrement() > 0; }
            @Override public Registration onCancel(Runnable action) { return Registration.NONE; }
        };
        ModuleRun run = ModuleTestKit.of(new ImageModule(new RealTargets())).withCancellation(afterTheStart).runYaml("""
                manifests: ["127.0.0.1:9/library/hello:1.0", "127.0.0.1:9/tools/toolbox:2.1"]
                dest: "oci://127.0.0.1:9/mirror/${module.image.src.reference.repository}:${module.image.src.reference.reference}"
                """);

        assertEquals("failed", run.result().stdout(), run.result().error());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> images = (List<Map<String, Object>>) run.registered().get("images");
        assertEquals(List.of("oci://127.0.0.1:9/mirror/library/hello:1.0", "oci://127.0.0.1:9/mirror/tools/toolbox:2.1"),
                images.stream().map(image -> image.get("destination")).toList());
        images.forEach(image -> assertEquals("cancelled before it finished", image.get("error"), image.toString()));
    }
}
