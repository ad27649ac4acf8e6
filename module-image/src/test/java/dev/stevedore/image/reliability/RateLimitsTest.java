package dev.stevedore.image.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.engine.testkit.ModuleRun;
import dev.stevedore.engine.testkit.ModuleTestKit;
import dev.stevedore.image.ImageModule;
import dev.stevedore.testsupport.PullLimitFront;
import dev.stevedore.testsupport.RegistryServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Given the real registry with six images behind a front with Docker Hub's pull limits
 * ({@link PullLimitFront}):
 * <ul>
 *   <li>when a task pulls five images with three pulls left, then it warns once, before any image is
 *       copied, with the numbers; {@code -v} shows the budget after every pull; three images arrive and
 *       the other two fail at once (no retry: waiting cannot end the window) saying the limit is used up;</li>
 *   <li>when the front refuses with 429 any request beyond two at a time, then the task slows down (fewer
 *       requests to that registry in flight) instead of failing image by image, and every image arrives.</li>
 * </ul>
 */
class RateLimitsTest {

    private static final Duration SIX_HOURS = Duration.ofHours(6);

    static RegistryServer registry;
    @TempDir
    static Path work;

    @BeforeAll
    static void seedSixImages() throws Exception {
        registry = RegistryServer.start();
        for (int i = 1; i <= 6; i++) {
            SeedImages.Blob layer = SeedImages.random(work, SeedImages.LAYER, 2000 + i, i);
            SeedImages.push(SeedImages.single(work, "limits/app-" + i, "1", List.of(layer), i), registry.hostPort(), null, null);
        }
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    private static ModuleRun pull(FastRetryTargets targets, String host, int images, String dir, String extra) {
        String manifests = IntStream.rangeClosed(1, images).mapToObj(i -> "\"" + host + "/limits/app-" + i + ":1\"")
                .collect(Collectors.joining(", ", "[", "]"));
        return ModuleTestKit.of(new ImageModule(targets)).withVariables(Map.of("host", host, "dir", dir))
                .runYaml("manifests: " + manifests + "\n" + """
                        dest: "local://${dir}"
                        auths: [{registry: "${host}", plain_http: true}]
                        """ + extra);
    }

    @Test
    void fewerPullsLeftThanImagesIsSaidOnceBeforeTheCopyAndTheRestFailAtOnce() throws Exception {
        FastRetryTargets targets = new FastRetryTargets();
        try (PullLimitFront hub = PullLimitFront.start(registry.baseUri()).pullLimit(100, 3, SIX_HOURS)) {
            ModuleRun run = pull(targets, hub.hostPort(), 5, work.resolve("budget").toString(), "concurrency: 1\n");

            List<String> log = run.log();
            List<String> warnings = log.stream().filter(line -> line.contains("pulls per")).toList();
            assertEquals(List.of("warn: registry " + hub.hostPort() + " allows 100 pulls per 6 h and 2 are left, but up to 4 more images"
                    + " are to be pulled from it (an image whose tag has not moved since the destination got it is not pulled again):"
                    + " the rest will be refused (HTTP 429) until the window moves on; authenticate (auths,"
                    + " or docker login " + hub.hostPort() + ") for a higher limit, or pull fewer images per run"), warnings);
            int warned = log.indexOf(warnings.get(0));
            // Images are copied while later ones are planned: the warning comes with the first answer, before any image is under way.
            int firstCopy = IntStream.range(0, log.size())
                    .filter(i -> log.get(i).startsWith("start ") || log.get(i).startsWith("done ")).findFirst().orElseThrow();
            assertTrue(warned < firstCopy, "warned before the copy started: " + log);
            for (int left = 2; left >= 0; left--) {
                assertTrue(log.contains("info: registry " + hub.hostPort() + ": " + left + " of 100 pulls left in its 6 h window"), log.toString());
            }

            assertEquals(3L, run.registered().get("images_copied"), run.registered().toString());
            assertEquals(2L, run.registered().get("images_failed"), run.registered().toString());
            String error = run.result().error();
            assertTrue(error.contains("its pull limit is used up (0 of 100 pulls left in its 6 h window)"), error);
            assertTrue(error.contains("TOOMANYREQUESTS: You have reached your pull rate limit"), error);
            assertTrue(error.contains("/limits/app-4:1") && error.contains("/limits/app-5:1"), error);
            assertTrue(error.contains("authenticate (auths, or docker login " + hub.hostPort() + ")"), error);
            List<PullLimitFront.Exchange> refused = hub.exchanges().stream().filter(e -> e.status() == 429).toList();
            assertEquals(2, refused.size(), "one refused GET per image, never retried: " + hub.exchanges());
            assertEquals(List.of(), targets.waits(), "nothing waited for");
        }
    }

    @Test
    void aReRunAsksEachTagWithHeadAndPullsOnlyTheImageWhoseTagMoved() throws Exception {
        for (int i = 1; i <= 4; i++) {
            SeedImages.Blob layer = SeedImages.random(work, SeedImages.LAYER, 3000 + i, 10 + i);
            SeedImages.push(SeedImages.single(work, "rerun/app-" + i, "1", List.of(layer), 10 + i), registry.hostPort(), null, null);
        }
        String manifests = IntStream.rangeClosed(1, 4).mapToObj(i -> "\"${host}/rerun/app-" + i + ":1\"")
                .collect(Collectors.joining(", ", "[", "]"));
        String task = "manifests: " + manifests + "\n" + """
                dest: "local://${dir}"
                auths: [{registry: "${host}", plain_http: true}]
                concurrency: 1
                """;
        try (PullLimitFront hub = PullLimitFront.start(registry.baseUri()).pullLimit(100, 100, SIX_HOURS)) {
            Map<String, String> variables = Map.of("host", hub.hostPort(), "dir", work.resolve("rerun").toString());
            ModuleRun first = ModuleTestKit.of(new ImageModule(new FastRetryTargets())).withVariables(variables).runYaml(task);
            assertEquals("success", first.result().stdout(), first.result().error());
            // The last image's tag moves upstream; one pull is left for the re-run.
            SeedImages.Blob moved = SeedImages.random(work, SeedImages.LAYER, 3100, 99);
            SeedImages.push(SeedImages.single(work, "rerun/app-4", "1", List.of(moved), 99), registry.hostPort(), null, null);
            hub.pullLimit(100, 1, SIX_HOURS);
            int before = hub.exchanges().size();

            ModuleRun again = ModuleTestKit.of(new ImageModule(new FastRetryTargets())).withVariables(variables).runYaml(task);

            assertEquals("success", again.result().stdout(), again.result().error());
            assertEquals(1L, again.registered().get("images_copied"), again.registered().toString());
            assertEquals(3L, again.registered().get("images_unchanged"), again.registered().toString());
            List<PullLimitFront.Exchange> asked = hub.exchanges().subList(before, hub.exchanges().size());
            List<String> manifestRequests = asked.stream().filter(e -> e.path().contains("/manifests/"))
                    .map(e -> e.method() + " " + e.path()).toList();
            assertEquals(List.of("HEAD /v2/rerun/app-1/manifests/1", "HEAD /v2/rerun/app-2/manifests/1", "HEAD /v2/rerun/app-3/manifests/1",
                    "HEAD /v2/rerun/app-4/manifests/1", "GET /v2/rerun/app-4/manifests/1"), manifestRequests);
            assertEquals(0, hub.remaining(), "only the image whose tag moved was pulled");
            assertTrue(again.logContains("rerun/app-1:1 points at sha256:"), again.log().toString());
            // By the last image three were found unchanged, which leaves the one pull enough: no warning.
            assertTrue(again.log().stream().noneMatch(line -> line.startsWith("warn:")), again.log().toString());
        }
    }

    @Test
    void enoughPullsLeftIsNoWarning() throws Exception {
        try (PullLimitFront hub = PullLimitFront.start(registry.baseUri()).pullLimit(200, 150, SIX_HOURS)) {
            ModuleRun run = pull(new FastRetryTargets(), hub.hostPort(), 5, work.resolve("plenty").toString(), "");

            assertEquals("success", run.result().stdout(), run.result().error());
            assertTrue(run.log().stream().noneMatch(line -> line.startsWith("warn:")), run.log().toString());
            assertEquals(145, hub.remaining(), "one pull per image");
        }
    }

    @Test
    void tooManyRequestsSlowTheWholeTaskDownInsteadOfFailingImageByImage() throws Exception {
        FastRetryTargets targets = new FastRetryTargets();
        try (PullLimitFront throttled = PullLimitFront.start(registry.baseUri()).atMostInFlight(2, Duration.ofMillis(200))) {
            ModuleRun run = pull(targets, throttled.hostPort(), 6, work.resolve("throttled").toString(), "");

            assertEquals("success", run.result().stdout(), run.result().error() + "\n" + throttled.exchanges());
            assertEquals(6L, run.registered().get("images_copied"));
            long refusals = throttled.exchanges().stream().filter(e -> e.status() == 429).count();
            assertTrue(refusals > 0, "the limit was met: " + throttled.exchanges());
            List<String> slowdowns = new ArrayList<>(run.log().stream()
                    .filter(line -> line.contains("answered 429 (too many requests)")).toList());
            assertTrue(!slowdowns.isEmpty() && slowdowns.size() <= 3, "slowed down a few times, not once per request: " + slowdowns);
            assertTrue(slowdowns.get(slowdowns.size() - 1).endsWith("at most 1 request at a time for the rest of the task")
                    || slowdowns.get(slowdowns.size() - 1).contains("at most 2 requests"), slowdowns.toString());
            assertTrue(targets.waits().size() >= refusals, "each refused request waited before its next attempt");
        }
    }
}
