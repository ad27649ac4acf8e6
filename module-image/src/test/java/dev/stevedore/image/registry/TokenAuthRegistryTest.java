package dev.stevedore.image.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.testsupport.RecordedTokenRequest;
import dev.stevedore.testsupport.RegistryServer;
import dev.stevedore.testsupport.TokenServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bearer tokens from a real token server, checked by the real registry (signature, iss, aud, exp, access). */
class TokenAuthRegistryTest {

    static TokenServer tokens;
    static RegistryServer registry;
    @TempDir
    static Path folder;
    static TestImage image;
    static ImageReference pushed;

    @BeforeAll
    static void start() throws Exception {
        tokens = TokenServer.builder().user("alice", "token-pass-1").allowAnonymousPull().start();
        registry = RegistryServer.builder().tokenAuth(tokens).start();
        image = TestImage.multiArch(Files.createDirectory(folder.resolve("blobs")), 30_000);
        pushed = ImageReference.parse(registry.hostPort() + "/token/a:1");
        try (RegistryTarget alice = alice(new MutableClock())) {
            image.push(alice, pushed);
        }
    }

    @AfterAll
    static void stop() {
        registry.close();
        tokens.close();
    }

    static RegistryTarget alice(MutableClock clock) {
        return new RegistryTarget(Settings.of(List.of(Settings.plain(registry.hostPort(), "alice", "token-pass-1"))),
                RegistryTarget.Options.defaults().withClock(clock));
    }

    @Test
    void pushingAsksForPullAndPushOnTheRepository() {
        assertTrue(tokens.requests().stream().anyMatch(r -> "alice".equals(r.user()) && r.scopes().contains("repository:token/a:pull,push")),
                tokens.requests().toString());
    }

    @Test
    void anAnonymousClientPullsWithAnAnonymousPullToken() throws Exception {
        int before = tokens.requests().size();
        try (RegistryTarget anonymous = new RegistryTarget(Settings.of(List.of(Settings.plain(registry.hostPort()))))) {
            assertEquals(image.index.digest(), anonymous.resolve(pushed).orElseThrow().digest());
            TestImage.Blob layer = image.blobs().get(1);
            anonymous.downloadBlob(pushed, layer.descriptor(), folder.resolve("anonymous-layer"));
        }
        List<RecordedTokenRequest> mine = tokens.requests().subList(before, tokens.requests().size());
        assertFalse(mine.isEmpty());
        mine.forEach(r -> assertNull(r.user()));
        assertTrue(mine.stream().allMatch(r -> r.scopes().equals(List.of("repository:token/a:pull"))), mine.toString());
    }

    @Test
    void anAnonymousClientCannotPushAndTheTokenJustRefusedIsNotFetchedAgain() throws Exception {
        ImageReference target = ImageReference.parse(registry.hostPort() + "/token/anonymous-push:1");
        int before = tokens.requests().size();
        try (RegistryTarget anonymous = new RegistryTarget(Settings.of(List.of(Settings.plain(registry.hostPort()))))) {
            RegistryException e = assertThrows(RegistryException.class, () -> image.push(anonymous, target));
            assertTrue(e instanceof RegistryException.Unauthorized, e.toString());
            assertTrue(e.getMessage().contains("no credentials were given for " + registry.hostPort()), e.getMessage());
        }
        List<RecordedTokenRequest> mine = tokens.requests().subList(before, tokens.requests().size());
        assertEquals(1, mine.stream().filter(r -> r.scopes().equals(List.of("repository:token/anonymous-push:pull,push"))).count(),
                "a push token the service just granted without push is not asked for again: " + mine);
    }

    @Test
    void mountingAsksInOneTokenForPushOnTheTargetAndPullOnTheSource() throws Exception {
        ImageReference b = ImageReference.parse(registry.hostPort() + "/token/b:1");
        Descriptor layer = image.blobs().get(1).descriptor();
        try (RegistryTarget alice = alice(new MutableClock())) {
            assertTrue(alice.mountBlob(b, layer, pushed));
            assertTrue(alice.hasBlob(b, layer));
        }
        assertTrue(tokens.requests().stream().anyMatch(r -> r.scopes().equals(List.of("repository:token/b:pull,push", "repository:token/a:pull"))),
                tokens.requests().toString());
    }

    @Test
    void aTokenIsReusedUntilItNearsExpiryThenRefreshed() throws Exception {
        MutableClock clock = new MutableClock();
        try (RegistryTarget alice = alice(clock)) {
            alice.resolve(pushed);
            int afterFirst = tokens.requests().size();
            alice.resolve(pushed);
            alice.hasBlob(pushed, image.blobs().get(0).descriptor());
            assertEquals(afterFirst, tokens.requests().size(), "a valid token is reused");
            clock.advance(Duration.ofSeconds(299)); // tokens live 300 s; refreshed within the last tenth
            alice.resolve(pushed);
            assertEquals(afterFirst + 1, tokens.requests().size(), "a token about to expire is refreshed");
        }
    }

    @Test
    void aTokenTheRegistryRejectsAsExpiredIsFetchedAgainOnce() throws Exception {
        try (RegistryTarget alice = alice(new MutableClock())) {
            // Tokens the client believes valid for 300 s, which the registry (60 s leeway) accepts for 3 s only.
            tokens.setClockSkew(Duration.ofSeconds(-357));
            alice.resolve(pushed);
            int before = tokens.requests().size();
            awaitRefusedByTheRegistry(tokens.issuedTokens().get(tokens.issuedTokens().size() - 1));
            assertEquals(image.index.digest(), alice.resolve(pushed).orElseThrow().digest());
            assertEquals(before + 1, tokens.requests().size());
        } finally {
            tokens.setClockSkew(Duration.ZERO);
        }
    }

    @Test
    void aWrongPasswordIsUnauthorizedAndNeverShown() {
        try (RegistryTarget wrong = new RegistryTarget(Settings.of(List.of(Settings.plain(registry.hostPort(), "alice", "bad-secret-9"))))) {
            RegistryException.Unauthorized e = assertThrows(RegistryException.Unauthorized.class, () -> wrong.resolve(pushed));
            assertFalse(e.getMessage().contains("bad-secret-9"), e.getMessage());
            assertTrue(e.getMessage().contains(registry.hostPort()), e.getMessage());
        }
    }

    @Test
    void manyImagesWithShortLivedTokensNeverFetchTheSameScopeTwiceAtOnce() throws Exception {
        List<ImageReference> repositories = new java.util.ArrayList<>();
        try (RegistryTarget alice = alice(new MutableClock())) {
            for (int i = 0; i < 30; i++) {
                ImageReference reference = ImageReference.parse(registry.hostPort() + "/token/many-" + i + ":1");
                image.push(alice, reference);
                repositories.add(reference);
            }
        }
        tokens.setExpiresIn(Duration.ofSeconds(2));
        int before = tokens.requests().size();
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(8);
        try (RegistryTarget alice = new RegistryTarget(Settings.of(List.of(Settings.plain(registry.hostPort(), "alice", "token-pass-1"))))) {
            List<java.util.concurrent.Future<?>> work = new java.util.ArrayList<>();
            long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            for (int t = 0; t < 8; t++) {
                int offset = t;
                work.add(threads.submit(() -> {
                    for (int i = offset; System.nanoTime() < until; i++) {
                        alice.hasBlob(repositories.get(i % repositories.size()), image.blobs().get(0).descriptor());
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> done : work) {
                done.get();
            }
        } finally {
            threads.shutdownNow();
            tokens.setExpiresIn(Duration.ofSeconds(300));
        }
        List<RecordedTokenRequest> mine = tokens.requests().subList(before, tokens.requests().size());
        java.util.Map<List<String>, java.time.Instant> last = new java.util.HashMap<>();
        for (RecordedTokenRequest request : mine) {
            java.time.Instant previous = last.put(request.scopes(), request.at());
            assertTrue(previous == null || Duration.between(previous, request.at()).toMillis() >= 500,
                    "the same scope fetched twice within 0.5 s: " + request + " after " + previous);
        }
        assertTrue(mine.size() >= 30, "every repository needed a token, and 2 s tokens were renewed: " + mine.size());
    }

    /** Waits until the registry itself refuses {@code token} (its exp plus leeway has passed), at most 30 s. */
    static void awaitRefusedByTheRegistry(String token) throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpRequest probe = java.net.http.HttpRequest.newBuilder(registry.baseUri().resolve("/v2/token/a/manifests/1"))
                .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody()).header("Authorization", "Bearer " + token).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (http.send(probe, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode() != 401) {
            assertTrue(System.nanoTime() < deadline, "the registry still accepts the token after 30 s");
            Thread.sleep(100);
        }
    }
}
