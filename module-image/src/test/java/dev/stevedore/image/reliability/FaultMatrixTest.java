package dev.stevedore.image.reliability;

import static dev.stevedore.image.reliability.FaultCase.Direction.PULL;
import static dev.stevedore.image.reliability.FaultCase.Direction.PUSH;
import static dev.stevedore.image.reliability.FaultCase.fails;
import static dev.stevedore.image.reliability.FaultCase.succeeds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.engine.testkit.CliRun;
import dev.stevedore.engine.testkit.PlaybookRunner;
import dev.stevedore.image.ImageModule;
import dev.stevedore.testsupport.FaultProxy;
import dev.stevedore.testsupport.RecordedRequest;
import dev.stevedore.testsupport.RegistryServer;
import dev.stevedore.testsupport.TokenServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault matrix (issue 7): every scripted fault against both a pull (registry to images directory) and
 * a push (images directory to registry), each through the engine running a real playbook, against the real
 * registry with token authentication behind a {@link FaultProxy} (and a second proxy in front of the token
 * server). Every case then checks that no file under a final name in the images directory is wrong
 * ({@link ImagesDirectoryChecker}) and that no tag in the registry points at missing content
 * ({@link RegistryContentChecker}). Retries are real, their waits capped by {@link FastRetryTargets}.
 */
@Tag("slow")
class FaultMatrixTest {

    private static final String PASSWORD = "matrix-pass-1";
    private static final String MANIFESTS = "/v2/.+/manifests/.+";
    private static final String BLOBS = "/v2/.+/blobs/sha256:.+";
    private static final String UPLOAD_SESSIONS = "/v2/.+/blobs/uploads/";
    private static final String UPLOADS = "/v2/.+/blobs/uploads/.+";
    private static final String TOO_MANY = "{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"slow down\"}]}";
    private static final String UNAVAILABLE = "{\"errors\":[{\"code\":\"UNAVAILABLE\",\"message\":\"scripted outage\"}]}";
    /** Tokens the registry accepts for only about 2 s (its leeway is 60 s past exp) while the client believes 300 s. */
    private static final Duration EARLY_EXPIRY = Duration.ofSeconds(-(300 + 60 - 2));

    private static final String PULL_PLAYBOOK = """
            - hosts: localhost
              tasks:
                - name: Pull through the fault proxy
                  image:
                    manifests: ["${registry}/matrix/app:1", "${registry}/matrix/tool:1"]
                    dest: "local://${images_dir}"
                    concurrency: 4
                    auths: [{registry: "${registry}", username: alice, password: "${password}", plain_http: true}]
            """;
    private static final String PUSH_PLAYBOOK = """
            - hosts: localhost
              tasks:
                - name: Push through the fault proxy
                  image:
                    src: "local://${images_dir}"
                    dest: "oci://${registry}/${case_name}/${module.image.reference.repository}:${module.image.reference.reference}"
                    concurrency: 4
                    auths: [{registry: "${registry}", username: alice, password: "${password}", plain_http: true}]
            """;

    static TokenServer tokens;
    static FaultProxy tokenProxy;
    static RegistryServer registry;
    static FaultProxy proxy;
    static SeedImages.Blob shared;
    static SeedImages.Image app;
    static Path seedDir;
    static Path pushSource;
    static int tokenRequestsBefore;
    static final FastRetryTargets targets = new FastRetryTargets();
    static PlaybookRunner runner;
    @TempDir
    static Path work;

    @BeforeAll
    static void start() throws Exception {
        tokens = TokenServer.builder().user("alice", PASSWORD).start();
        tokenProxy = FaultProxy.start(tokens.realm().resolve("/"));
        registry = RegistryServer.builder().tokenAuth(tokens, tokenProxy.baseUri().resolve("/token")).start();
        proxy = FaultProxy.start(registry.baseUri());
        Path blobs = Files.createDirectory(work.resolve("seed-blobs"));
        shared = SeedImages.random(blobs, SeedImages.LAYER, 1_500_000, 7);
        app = SeedImages.multiArch(blobs, "matrix/app", "1", shared, 400_000, 1);
        SeedImages.push(app, registry.hostPort(), "alice", PASSWORD);
        SeedImages.push(SeedImages.multiArch(blobs, "matrix/tool", "1", shared, 300_000, 2), registry.hostPort(), "alice", PASSWORD);
        runner = PlaybookRunner.withModules(new ImageModule(targets));
        seedDir = work.resolve("seed");
        CliRun seeded = pull(seedDir);
        assertEquals(0, seeded.exitCode(), seeded.toString());
    }

    @AfterAll
    static void stop() {
        proxy.close();
        registry.close();
        tokenProxy.close();
        tokens.close();
    }

    @AfterEach
    void clearFaults() {
        proxy.clearFaults();
        tokenProxy.clearFaults();
        tokens.setClockSkew(Duration.ZERO);
    }

    static Stream<FaultCase> cases() {
        return Stream.of(
                // Pull: the faults hit responses the client reads.
                succeeds("connection reset after 400 kB of a layer", PULL,
                        () -> proxy.on("GET", blob(shared)).resetAfterBodyBytes(400_000), saw("GET", "/blobs/", 206)),
                succeeds("HTTP 500 on manifests, twice", PULL,
                        () -> proxy.on("*", MANIFESTS).times(2).respond(500, Map.of(), ""), saw("*", "/manifests/", 500)),
                succeeds("HTTP 502 on blobs, twice", PULL,
                        () -> proxy.on("GET", BLOBS).times(2).respond(502, Map.of(), "bad gateway"), saw("GET", "/blobs/", 502)),
                succeeds("HTTP 503 on manifests, twice", PULL,
                        () -> proxy.on("*", MANIFESTS).times(2).respond(503, Map.of(), UNAVAILABLE), saw("*", "/manifests/", 503)),
                succeeds("429 with Retry-After: 1, twice", PULL,
                        () -> proxy.on("*", MANIFESTS).times(2).respond(429, Map.of("Retry-After", "1"), TOO_MANY), waitedFor(Duration.ofSeconds(1))),
                succeeds("a layer stalls 3 s, past the 1 s read timeout", PULL,
                        () -> proxy.on("GET", blob(shared)).stallBodyAfter(300_000, Duration.ofSeconds(3)), saw("GET", "/blobs/", 206)),
                succeeds("a layer body truncated after 700 kB", PULL,
                        () -> proxy.on("GET", blob(shared)).truncateBodyAfter(700_000), saw("GET", "/blobs/", 206)),
                succeeds("the token endpoint answers after the read timeout, once", PULL,
                        () -> tokenProxy.on("GET", "/token").delay(Duration.ofMillis(1500)), retriedTokenRequest()),
                succeeds("the token endpoint answers 503, once", PULL,
                        () -> tokenProxy.on("GET", "/token").respond(503, Map.of(), ""), retriedTokenRequest()),
                succeeds("the token expires mid-run", PULL, () -> {
                    tokens.setClockSkew(EARLY_EXPIRY);
                    proxy.on("GET", blob(shared)).delay(Duration.ofSeconds(3));
                }, rejectedAToken()).with(new FastRetryTargets.Tuning(Duration.ofSeconds(5), 4, Duration.ofMillis(20)), null),
                succeeds("the registry restarts mid-run", PULL,
                        () -> proxy.on("GET", blob(shared)).delay(Duration.ofMillis(1500)), saw("*", "", 502))
                        .with(FastRetryTargets.Tuning.patient(), before -> restartAfter(before, "GET", "/blobs/", 200)),
                fails("one byte of a layer flipped", PULL,
                        () -> proxy.on("GET", blob(shared)).flipByteAt(1000), "digest mismatch", shared.digest(), "run the task again"),
                fails("HTTP 503 on every manifest request", PULL,
                        () -> proxy.on("*", MANIFESTS).always().respond(503, Map.of(), UNAVAILABLE), "HTTP 503", "matrix/app", "matrix/tool",
                        "try again later"),
                fails("429 on every manifest request", PULL,
                        () -> proxy.on("*", MANIFESTS).always().respond(429, Map.of("Retry-After", "1"), TOO_MANY), "rate limited", "matrix/app"),
                fails("the token endpoint is down", PULL,
                        () -> tokenProxy.on("GET", "/token").always().respond(503, Map.of(), ""), "token service", "HTTP 503", "matrix/app",
                        "try again later"),

                // Push: the faults hit the requests of uploads and manifest pushes.
                succeeds("HTTP 500 on a blob upload", PUSH,
                        () -> proxy.on("PUT", UPLOADS).respond(500, Map.of(), ""), saw("PUT", "/blobs/uploads/", 500)),
                succeeds("HTTP 502 on opening upload sessions, twice", PUSH,
                        () -> proxy.on("POST", UPLOAD_SESSIONS).times(2).respond(502, Map.of(), ""), saw("POST", "/blobs/uploads/", 502)),
                succeeds("HTTP 503 on manifest pushes, twice", PUSH,
                        () -> proxy.on("PUT", MANIFESTS).times(2).respond(503, Map.of(), UNAVAILABLE), saw("PUT", "/manifests/", 503)),
                succeeds("429 with Retry-After: 1 on blob checks, twice", PUSH,
                        () -> proxy.on("HEAD", BLOBS).times(2).respond(429, Map.of("Retry-After", "1"), ""), waitedFor(Duration.ofSeconds(1))),
                succeeds("a blob check answers after the read timeout", PUSH,
                        () -> proxy.on("HEAD", BLOBS).delay(Duration.ofMillis(2500)), retried()),
                succeeds("the connection is reset after a blob upload's response head", PUSH,
                        () -> proxy.on("PUT", UPLOADS).resetAfterBodyBytes(0), FaultCase.Check.NONE),
                succeeds("uploads reset after 64 bytes of their body, twice", PUSH,
                        () -> proxy.on("PUT", UPLOADS).times(2).inRequestBody().resetAfterBodyBytes(64), saw("PUT", "/blobs/uploads/", 0)),
                succeeds("upload bodies cut short after 64 bytes, twice", PUSH,
                        () -> proxy.on("PUT", UPLOADS).times(2).inRequestBody().truncateBodyAfter(64), saw("PUT", "/blobs/uploads/", 0)),
                // These bodies fit in the socket buffers: the stall shows as a late response, which is waited for
                // (a registry may take long to commit a blob). Stalls in large bodies: FaultInjectionTest.
                succeeds("an upload stalls 3 s after the body was handed over", PUSH,
                        () -> proxy.on("PUT", UPLOADS).inRequestBody().stallBodyAfter(64, Duration.ofSeconds(3)), FaultCase.Check.NONE),
                succeeds("the token endpoint answers after the read timeout, once", PUSH,
                        () -> tokenProxy.on("GET", "/token").delay(Duration.ofMillis(1500)), retriedTokenRequest()),
                succeeds("the token endpoint answers 503, once", PUSH,
                        () -> tokenProxy.on("GET", "/token").respond(503, Map.of(), ""), retriedTokenRequest()),
                succeeds("the token expires mid-run", PUSH, () -> {
                    tokens.setClockSkew(EARLY_EXPIRY);
                    proxy.on("PUT", UPLOADS).delay(Duration.ofSeconds(3));
                }, rejectedAToken()).with(new FastRetryTargets.Tuning(Duration.ofSeconds(5), 4, Duration.ofMillis(20)), null),
                succeeds("the registry restarts mid-run", PUSH,
                        () -> proxy.on("PUT", MANIFESTS).delay(Duration.ofMillis(1500)), saw("*", "", 502))
                        .with(FastRetryTargets.Tuning.patient(), before -> restartAfter(before, "PUT", "/blobs/uploads/", 201)),
                fails("one byte of a layer flipped on disk", PUSH, FaultMatrixTest::corruptSharedLayerOfTheSource,
                        shared.digest(), "DIGEST_INVALID", "matrix/app", "source copy is corrupt", "pull it again"),
                fails("a layer missing from the source directory", PUSH, FaultMatrixTest::deleteSharedLayerOfTheSource,
                        shared.digest(), "is missing from", "pull the image again"),
                fails("one byte of an upload flipped on the way", PUSH,
                        () -> proxy.on("PUT", UPLOADS).inRequestBody().flipByteAt(10), "DIGEST_INVALID", "damaged on the way", "run the task again"),
                fails("HTTP 503 on every manifest push", PUSH,
                        () -> proxy.on("PUT", MANIFESTS).always().respond(503, Map.of(), UNAVAILABLE), "HTTP 503", "matrix/app", "try again later"),
                fails("the token endpoint is down", PUSH,
                        () -> tokenProxy.on("GET", "/token").always().respond(503, Map.of(), ""), "token service", "HTTP 503", "matrix/app",
                        "try again later"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aFaultEndsInSuccessOrAClearFailureAndNeverInCorruptContent(FaultCase fault) throws Exception {
        targets.use(fault.tuning());
        pushSource = seedDir;
        tokenRequestsBefore = tokenProxy.requests().size();
        int before = proxy.requests().size();
        fault.arrange().run();
        Path imagesDir = fault.direction() == PULL ? Files.createTempDirectory(work, "pulled-") : null;
        String caseName = "case-" + Integer.toHexString(fault.name().hashCode() & 0xfffffff);
        CompletableFuture<Void> during = fault.during() == null ? CompletableFuture.completedFuture(null)
                : CompletableFuture.runAsync(() -> {
                    try {
                        fault.during().run(before);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
        CliRun run = fault.direction() == PULL ? pull(imagesDir) : push(caseName);
        during.get(30, TimeUnit.SECONDS);
        clearFaults(); // the checkers below must see the registry as it is, with tokens that stay valid

        if (fault.succeeds()) {
            assertEquals(0, run.exitCode(), run.toString());
        } else {
            assertEquals(2, run.exitCode(), run.toString());
            for (String part : fault.messageParts()) {
                assertTrue(run.toString().contains(part), "expected '" + part + "' in\n" + run);
            }
        }
        fault.check().verify(run, before);

        ImagesDirectoryChecker.Report local = ImagesDirectoryChecker.check(fault.direction() == PULL ? imagesDir : pushSource);
        if (pushSource == seedDir) {
            assertTrue(local.consistent(), local.toString());
        } else {
            // The case damaged its source on purpose: the checker must flag that blob, and nothing else.
            assertTrue(!local.problems().isEmpty(), local.toString());
            assertTrue(local.problems().stream().allMatch(problem -> problem.contains(shared.digest())), local.toString());
        }
        assertEquals(List.of(), local.temporaryFiles(), "temporary files left behind");
        RegistryContentChecker checker = new RegistryContentChecker(registry.baseUri(),
                RegistryContentChecker.bearer(tokens.realm(), tokens.service(), "alice", PASSWORD));
        RegistryContentChecker.Report remote = checker.checkAll();
        assertTrue(remote.consistent(), remote.problems().toString());
        if (fault.succeeds() && fault.direction() == PULL) {
            assertEquals(9, local.blobs(), local.toString());
            assertEquals(6, local.manifests(), "two indexes and their four children: " + local);
        }
        if (fault.succeeds() && fault.direction() == PUSH) {
            assertEquals(1, checker.checkRepository(caseName + "/matrix/app").tags(), run.toString());
            assertEquals(1, checker.checkRepository(caseName + "/matrix/tool").tags(), run.toString());
        }
    }

    static CliRun pull(Path imagesDir) {
        return runner.runYaml(work, PULL_PLAYBOOK, "-e", "registry=" + (imagesDir == seedDir ? registry.hostPort() : proxy.hostPort()),
                "-e", "images_dir=" + imagesDir, "-e", "password=" + PASSWORD);
    }

    static CliRun push(String caseName) {
        return runner.runYaml(work, PUSH_PLAYBOOK, "-e", "registry=" + proxy.hostPort(), "-e", "images_dir=" + pushSource,
                "-e", "case_name=" + caseName, "-e", "password=" + PASSWORD);
    }

    private static String blob(SeedImages.Blob blob) {
        return "/v2/.+/blobs/" + blob.digest();
    }

    /** A copy of the seed directory whose shared layer has one byte inverted (same size, wrong digest). */
    private static void corruptSharedLayerOfTheSource() throws Exception {
        Path copy = copyOfTheSeed();
        Path layer = copy.resolve("blobs").resolve(shared.digest());
        byte[] bytes = Files.readAllBytes(layer);
        bytes[1000] ^= (byte) 0xFF;
        Path corrupt = Files.createTempFile(work, "corrupt-layer-", "");
        Files.write(corrupt, bytes);
        Files.move(corrupt, layer, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        pushSource = copy;
    }

    /** A copy of the seed directory without its shared layer, as an interrupted copy by hand would leave it. */
    private static void deleteSharedLayerOfTheSource() throws Exception {
        Path copy = copyOfTheSeed();
        Files.delete(copy.resolve("blobs").resolve(shared.digest()));
        pushSource = copy;
    }

    private static Path copyOfTheSeed() throws Exception {
        Path copy = Files.createTempDirectory(work, "source-");
        try (Stream<Path> files = Files.walk(seedDir)) {
            for (Path file : files.toList()) {
                Path target = copy.resolve(seedDir.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        return copy;
    }

    /**
     * Stops the registry once a request matching (method, path part, status) went through, waits until
     * the proxy has turned a request away because the registry was down (so the task was mid-run), and
     * starts the registry again on the same port and storage.
     */
    private static void restartAfter(int before, String method, String pathPart, int status) throws Exception {
        await(() -> count(before, method, pathPart, status) > 0, "a " + method + " " + pathPart + " answered " + status);
        registry.stop();
        try {
            await(() -> count(before, "*", "", 502) > 0, "a request turned away while the registry was down");
        } finally {
            registry.restart();
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; requests: " + proxy.requests());
            }
            Thread.sleep(10);
        }
    }

    static int count(int before, String method, String pathPart, int status) {
        List<RecordedRequest> all = proxy.requests();
        return (int) all.subList(before, all.size()).stream()
                .filter(r -> (method.equals("*") || r.method().equals(method)) && r.path().contains(pathPart) && r.status() == status)
                .count();
    }

    private static FaultCase.Check saw(String method, String pathPart, int status) {
        return (run, before) -> assertTrue(count(before, method, pathPart, status) > 0,
                "the fault did not fire: no " + method + " " + pathPart + " answered " + status + " in " + proxy.requests());
    }

    private static FaultCase.Check waitedFor(Duration retryAfter) {
        return (run, before) -> assertTrue(targets.waits().contains(retryAfter), "waits: " + targets.waits());
    }

    /**
     * The registry refused a token the client sent (401 on a request with Authorization): the token really
     * expired mid-run. Which request meets it first varies (an upload's PUT may be refused before its body
     * is read, which the client sees as a cut connection), so any authorized request counts.
     */
    private static FaultCase.Check rejectedAToken() {
        return (run, before) -> {
            List<RecordedRequest> all = proxy.requests();
            assertTrue(all.subList(before, all.size()).stream().anyMatch(r -> r.hadAuthorization() && r.status() == 401),
                    "no token was refused: " + all.subList(before, all.size()));
        };
    }

    private static FaultCase.Check retried() {
        return (run, before) -> assertTrue(!targets.waits().isEmpty(), "no request was retried");
    }

    private static FaultCase.Check retriedTokenRequest() {
        return (run, before) -> assertTrue(tokenProxy.requests().size() - tokenRequestsBefore >= 2,
                "the token request was not repeated: " + tokenProxy.requests());
    }
}
