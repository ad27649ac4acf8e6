package dev.stevedore.image.registry.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** How the authorizer answers 401s with a Basic challenge, including those of requests sent together. */
class RegistryAuthorizerTest {

    private static final String BASIC = "Basic realm=\"registry\"";
    private final AtomicInteger lookups = new AtomicInteger();
    private final RegistryAuthorizer authorizer = new RegistryAuthorizer(new HostAuthContext("r.example.com", new HostCredentials(() -> {
        lookups.incrementAndGet();
        return Optional.of(new Credentials("u", "p"));
    }), new DirectTokenTransport(Duration.ofSeconds(1)), Clock.systemUTC()));

    @Test
    void aRequestRefusedBeforeAnotherOneLearnedBasicAuthIsSentAgain() throws Exception {
        assertTrue(authorizer.onUnauthorized(BASIC, List.of(), Optional.empty()), "the first 401 teaches Basic auth");
        assertTrue(authorizer.onUnauthorized(BASIC, List.of(), Optional.empty()),
                "a request that went out anonymously at the same time is retried with the credentials");
        assertEquals(1, lookups.get(), "credentials are looked up once");
    }

    @Test
    void aRequestRefusedWithTheCredentialsIsNotSentAgain() throws Exception {
        authorizer.onUnauthorized(BASIC, List.of(), Optional.empty());
        String sent = authorizer.authorization(List.of()).orElseThrow();
        assertFalse(authorizer.onUnauthorized(BASIC, List.of(), Optional.of(sent)), "wrong credentials: no endless retry");
    }

    @Test
    void aBasicChallengeWithoutCredentialsForTheHostIsNotRetried() throws Exception {
        RegistryAuthorizer nobody = new RegistryAuthorizer(new HostAuthContext("other.example.com", HostCredentials.none(),
                new DirectTokenTransport(Duration.ofSeconds(1)), Clock.systemUTC()));
        assertFalse(nobody.onUnauthorized(BASIC, List.of(), Optional.empty()));
        assertTrue(nobody.authorization(List.of()).isEmpty(), "nothing is sent to a host nothing is configured for");
        assertTrue(nobody.credentialsDescription().isEmpty());
    }

    @Test
    void anIdentityTokenIsNeverSentAsBasic() throws Exception {
        RegistryAuthorizer withToken = new RegistryAuthorizer(new HostAuthContext("acr.example.com",
                new HostCredentials(() -> Optional.of(Credentials.identityToken("<token>", "refresh-xyz"))),
                new DirectTokenTransport(Duration.ofSeconds(1)), Clock.systemUTC()));
        assertFalse(withToken.onUnauthorized(BASIC, List.of(), Optional.empty()));
        assertTrue(withToken.authorization(List.of()).isEmpty());
        assertEquals(Optional.of("the identity token"), withToken.credentialsDescription());
    }
}
