package dev.stevedore.image.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.testsupport.FaultProxy;
import dev.stevedore.testsupport.RecordedTokenRequest;
import dev.stevedore.testsupport.RegistryServer;
import dev.stevedore.testsupport.TokenServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Token requests go the way every registry request goes ({@link TokenRequestSender}): the real registry's
 * challenge names a realm behind a {@link FaultProxy}, so the token endpoint can stall mid-answer or redirect
 * to the token service's real address, as a token service behind a load balancer or moved to another host does.
 */
class TokenRequestTransportTest {

    @TempDir
    static Path folder;

    private static TokenServer tokens;
    private static FaultProxy realm;
    private static RegistryServer registry;
    private static TestImage image;
    private static ImageReference pushed;

    @BeforeAll
    static void start() throws Exception {
        tokens = TokenServer.builder().user("alice", "token-pass-1").allowAnonymousPull().start();
        realm = FaultProxy.start(URI.create("http://" + tokens.realm().getRawAuthority()));
        registry = RegistryServer.builder().tokenAuth(tokens, URI.create(realm.baseUri() + "/token")).start();
        image = TestImage.multiArch(Files.createDirectory(folder.resolve("blobs")), 20_000);
        pushed = ImageReference.parse(registry.hostPort() + "/transport/a:1");
        try (RegistryTarget alice = target(Settings.plain(registry.hostPort(), "alice", "token-pass-1"), Duration.ofSeconds(20))) {
            image.push(alice, pushed);
        }
    }

    @AfterEach
    void clear() {
        realm.clearFaults();
    }

    @AfterAll
    static void stop() {
        registry.close();
        realm.close();
        tokens.close();
    }

    private static RegistryTarget target(RegistryAuth auth, Duration readTimeout) {
        RegistrySettings base = Settings.of(List.of(auth));
        return new RegistryTarget(base.withLimits(new RetryLimits(base.limits().connectTimeout(), readTimeout, 4, Duration.ofSeconds(20))));
    }

    @Test
    void aTokenAnswerThatStallsIsGivenUpAfterTheReadTimeoutAndAskedAgain() {
        int before = tokens.requests().size();
        realm.on("GET", "/token.*").stallBodyAfter(5, Duration.ofSeconds(60));
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (RegistryTarget anonymous = target(Settings.plain(registry.hostPort()), Duration.ofSeconds(1))) {
                assertEquals(image.index.digest(), anonymous.resolve(pushed).orElseThrow().digest());
            }
        }, "a stalled token body used to hold the pull for the whole stall");
        assertTrue(tokens.requests().size() - before >= 2, "the stalled request, then one answered: " + tokens.requests());
    }

    @Test
    void aRedirectedRealmIsFollowedAndTheCredentialsStayWithTheRealmsOwnHost() throws Exception {
        URI tokenService = URI.create("http://localhost:" + tokens.realm().getPort());
        realm.on("GET", "/token.*").always().redirectTo(tokenService);
        int before = tokens.requests().size();
        try (RegistryTarget alice = target(Settings.plain(registry.hostPort(), "alice", "token-pass-1"), Duration.ofSeconds(20))) {
            assertEquals(image.index.digest(), alice.resolve(pushed).orElseThrow().digest());
        }
        List<RecordedTokenRequest> mine = tokens.requests().subList(before, tokens.requests().size());
        assertEquals(1, mine.size(), mine.toString());
        assertNull(mine.get(0).user(), "Basic credentials for the realm's host are not sent on to another origin");
        assertTrue(realm.requests().stream().anyMatch(r -> r.status() == 307), realm.requests().toString());
    }
}
