package dev.stevedore.testsupport;

import static dev.stevedore.testsupport.RegistryServerTest.basic;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class TokenServerTest {
    private static final String ALICE = basic("alice", "alice-pw");

    @Test
    void theRegistryChallengesClientsWithTheTokenServersRealmAndService() throws IOException {
        try (TokenServer tokens = TokenServer.builder().start();
             RegistryServer registry = RegistryServer.builder().tokenAuth(tokens).start()) {
            HttpResponse<String> challenge = MiniRegistryClient.plain(registry.baseUri()).get("/v2/");

            assertEquals(401, challenge.statusCode());
            assertEquals("Bearer realm=\"" + tokens.realm() + "\",service=\"stevedore-test-registry\"",
                    challenge.headers().firstValue("WWW-Authenticate").orElseThrow());
        }
    }

    @Test
    void theRealmCanPointAtAFaultProxyInFrontOfTheTokenServer() throws IOException {
        try (TokenServer tokens = TokenServer.builder().allowAnonymousPull().start();
             FaultProxy proxy = FaultProxy.start(URI.create("http://127.0.0.1:" + tokens.realm().getPort()));
             RegistryServer registry = RegistryServer.builder().tokenAuth(tokens, proxy.baseUri().resolve("/token")).start()) {
            String challenge = MiniRegistryClient.plain(registry.baseUri()).get("/v2/").headers()
                    .firstValue("WWW-Authenticate").orElseThrow();
            assertTrue(challenge.contains("realm=\"" + proxy.baseUri() + "/token\""), challenge);

            proxy.on("GET", "/token").respond(503, Map.of(), "");
            assertEquals(503, RawHttp.get(proxy.baseUri(), "/token?service=x").status());
            RawHttp.Result viaProxy = RawHttp.get(proxy.baseUri(), "/token?service=x&scope=repository:a:pull");
            assertEquals(200, viaProxy.status());
            assertTrue(new String(viaProxy.body()).contains("\"token\":"));
            assertEquals(1, tokens.requests().size(), "the scripted 503 never reached the token server");
        }
    }

    @Test
    void aUserPushesWithAPushTokenAndAnAnonymousPullTokenReadsItBack() throws IOException {
        try (TokenServer tokens = TokenServer.builder().user("alice", "alice-pw").allowAnonymousPull().start();
             RegistryServer registry = RegistryServer.builder().tokenAuth(tokens).start()) {
            String push = Tokens.bearer(tokens, "repository:team/app:pull,push", ALICE);
            byte[] pushed = new MiniRegistryClient(registry.baseUri(), null, push).pushSmallImage("team/app", "v1");

            String pull = Tokens.bearer(tokens, "repository:team/app:pull", null);
            HttpResponse<byte[]> pulled = new MiniRegistryClient(registry.baseUri(), null, pull).getManifest("team/app", "v1");

            assertEquals(200, pulled.statusCode());
            assertArrayEquals(pushed, pulled.body());
        }
    }

    @Test
    void anAnonymousTokenCannotPush() throws IOException {
        try (TokenServer tokens = TokenServer.builder().allowAnonymousPull().start();
             RegistryServer registry = RegistryServer.builder().tokenAuth(tokens).start()) {
            String anonymous = Tokens.bearer(tokens, "repository:team/app:pull,push", null);

            assertTrue(Tokens.claims(anonymous).contains("\"actions\":[\"pull\"]"), Tokens.claims(anonymous));
            HttpResponse<String> upload = new MiniRegistryClient(registry.baseUri(), null, anonymous)
                    .pushBlob("team/app", new byte[] {1, 2, 3});
            assertEquals(401, upload.statusCode());
        }
    }

    @Test
    void withoutAnonymousPullAnAnonymousTokenGrantsNothing() throws IOException {
        try (TokenServer tokens = TokenServer.builder().user("alice", "alice-pw").start();
             RegistryServer registry = RegistryServer.builder().tokenAuth(tokens).start()) {
            String push = Tokens.bearer(tokens, "repository:team/app:pull,push", ALICE);
            new MiniRegistryClient(registry.baseUri(), null, push).pushSmallImage("team/app", "v1");

            String anonymous = Tokens.bearer(tokens, "repository:team/app:pull", null);

            assertTrue(Tokens.claims(anonymous).contains("\"access\":[]"), Tokens.claims(anonymous));
            assertEquals(401, new MiniRegistryClient(registry.baseUri(), null, anonymous)
                    .getManifest("team/app", "v1").statusCode());
        }
    }

    @Test
    void aWrongPasswordIsRefusedByTheTokenServer() throws IOException {
        try (TokenServer tokens = TokenServer.builder().user("alice", "alice-pw").allowAnonymousPull().start()) {
            HttpResponse<String> refused = Tokens.request(tokens, "repository:team/app:pull", basic("alice", "guess"));
            HttpResponse<String> unknown = Tokens.request(tokens, "repository:team/app:pull", basic("mallory", "x"));

            assertEquals(401, refused.statusCode());
            assertEquals(401, unknown.statusCode());
            assertFalse(refused.body().contains("token\""));
        }
    }

    @Test
    void aTokenFromAnotherIssuerOrForAnotherServiceIsRejected() throws IOException {
        try (TokenServer tokens = TokenServer.builder().allowAnonymousPull().start();
             TokenServer impostor = TokenServer.builder().allowAnonymousPull().issuer("someone-else").start();
             RegistryServer registry = RegistryServer.builder().tokenAuth(tokens).start()) {
            String foreign = Tokens.bearer(impostor, "repository:team/app:pull", null);

            assertEquals(401, new MiniRegistryClient(registry.baseUri(), null, foreign)
                    .getManifest("team/app", "v1").statusCode());
        }
    }

    @Test
    void aTokenStampedMoreThanTheRegistryLeewayInThePastIsRejectedAsExpired() throws IOException {
        try (TokenServer tokens = TokenServer.builder().allowAnonymousPull().start();
             RegistryServer registry = RegistryServer.builder().tokenAuth(tokens).start()) {
            String fresh = Tokens.bearer(tokens, "repository:team/app:pull", null);
            tokens.setClockSkew(Duration.ofMinutes(-10)); // exp = now - 10 min + 300 s: 5 min past, beyond the 60 s leeway
            String expired = Tokens.bearer(tokens, "repository:team/app:pull", null);

            // 404: authorized, the tag just does not exist; 401: the token itself was refused.
            assertEquals(404, new MiniRegistryClient(registry.baseUri(), null, fresh).getManifest("team/app", "v1").statusCode());
            assertEquals(401, new MiniRegistryClient(registry.baseUri(), null, expired).getManifest("team/app", "v1").statusCode());
            assertTrue(Tokens.request(tokens, "repository:team/app:pull", null).body().contains("\"expires_in\":300"));
        }
    }

    @Test
    @Tag("slow")
    void aOneSecondTokenIsRejectedOnceTheRegistrysSixtySecondLeewayHasPassed() throws Exception {
        try (TokenServer tokens = TokenServer.builder().allowAnonymousPull().expiresIn(Duration.ofSeconds(1)).start();
             RegistryServer registry = RegistryServer.builder().tokenAuth(tokens).start()) {
            String token = Tokens.bearer(tokens, "repository:team/app:pull", null);
            MiniRegistryClient client = new MiniRegistryClient(registry.baseUri(), null, token);
            assertTrue(Tokens.request(tokens, "repository:team/app:pull", null).body().contains("\"expires_in\":1"));

            Thread.sleep(3_000);
            assertEquals(404, client.getManifest("team/app", "v1").statusCode(), "still inside the leeway");
            Thread.sleep(60_000);
            assertEquals(401, client.getManifest("team/app", "v1").statusCode());
        }
    }

    @Test
    void setExpiresInChangesTheLifetimeOfLaterTokens() throws IOException {
        try (TokenServer tokens = TokenServer.builder().allowAnonymousPull().expiresIn(Duration.ofSeconds(120)).start()) {
            assertTrue(Tokens.request(tokens, "repository:a:pull", null).body().contains("\"expires_in\":120"));
            tokens.setExpiresIn(Duration.ofSeconds(7));
            String token = Tokens.bearer(tokens, "repository:a:pull", null);
            String claims = Tokens.claims(token);
            long iat = Long.parseLong(claims.replaceAll(".*\"iat\":(\\d+).*", "$1"));
            long exp = Long.parseLong(claims.replaceAll(".*\"exp\":(\\d+).*", "$1"));
            assertEquals(7, exp - iat);
        }
    }

    @Test
    void everyRequestIsRecordedWithUserAndScopesButNoPassword() throws IOException {
        try (TokenServer tokens = TokenServer.builder().user("alice", "alice-pw").start()) {
            Tokens.request(tokens, "repository:a:pull,push", ALICE);
            Tokens.request(tokens, "repository:b:pull", null);
            Tokens.request(tokens, "repository:c:pull", basic("alice", "wrong"));

            List<RecordedTokenRequest> requests = tokens.requests();
            assertEquals(3, requests.size());
            assertEquals("alice", requests.get(0).user());
            assertEquals(List.of("repository:a:pull,push"), requests.get(0).scopes());
            assertEquals("stevedore-test-registry", requests.get(0).service());
            assertNull(requests.get(1).user());
            assertEquals("alice", requests.get(2).user());
            assertFalse(requests.toString().contains("alice-pw"));
        }
    }

    @Test
    void setDelaySlowsDownAnswers() throws IOException {
        try (TokenServer tokens = TokenServer.builder().allowAnonymousPull().start()) {
            tokens.setDelay(Duration.ofMillis(700));
            long start = System.nanoTime();
            Tokens.bearer(tokens, "repository:a:pull", null);
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() >= 700);
        }
    }

    @Test
    void theJwtHeaderNamesTheSigningKeyByItsLibtrustId() throws IOException {
        try (TokenServer tokens = TokenServer.builder().allowAnonymousPull().start()) {
            String header = Tokens.header(Tokens.bearer(tokens, "repository:a:pull", null));
            assertTrue(header.matches("\\{\"typ\":\"JWT\",\"alg\":\"RS256\",\"kid\":\"([A-Z2-7]{4}:){11}[A-Z2-7]{4}\"}"), header);
        }
    }
}
