package dev.stevedore.image.registry.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class AuthChallengeTest {

    @Test
    void aBearerChallengeYieldsRealmServiceAndSpaceSeparatedScopes() {
        AuthChallenge challenge = AuthChallenge.parse(
                "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:a:pull,push repository:b:pull\"")
                .orElseThrow();
        assertTrue(challenge.isBearer());
        assertEquals("https://auth.docker.io/token", challenge.realm());
        assertEquals("registry.docker.io", challenge.service());
        assertEquals(List.of("repository:a:pull,push", "repository:b:pull"), challenge.scopes());
        assertFalse(challenge.isInvalidToken());
    }

    @Test
    void schemeAndParameterNamesAreCaseInsensitiveAndTokensNeedNoQuotes() {
        AuthChallenge challenge = AuthChallenge.parse("bearer Realm=https://h/token, Service=reg, error=invalid_token").orElseThrow();
        assertTrue(challenge.isBearer());
        assertEquals("https://h/token", challenge.realm());
        assertEquals("reg", challenge.service());
        assertTrue(challenge.isInvalidToken());
    }

    @Test
    void aBasicChallengeIsRecognised() {
        AuthChallenge challenge = AuthChallenge.parse("Basic realm=\"Registry Realm\"").orElseThrow();
        assertTrue(challenge.isBasic());
        assertEquals("Registry Realm", challenge.realm());
        assertEquals(List.of(), challenge.scopes());
    }

    @Test
    void quotedValuesMayHoldCommasAndEscapedQuotes() {
        AuthChallenge challenge = AuthChallenge.parse("Bearer realm=\"https://h/t?a=1,b=2\",service=\"say \\\"hi\\\"\"").orElseThrow();
        assertEquals("https://h/t?a=1,b=2", challenge.realm());
        assertEquals("say \"hi\"", challenge.service());
    }

    @Test
    void anEmptyOrMissingHeaderIsNoChallenge() {
        assertTrue(AuthChallenge.parse(null).isEmpty());
        assertTrue(AuthChallenge.parse("  ").isEmpty());
    }
}
