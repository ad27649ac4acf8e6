package dev.stevedore.image.registry.auth;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bearer tokens for one host, from the token service its challenge names. Tokens are cached per set of
 * scopes and refreshed shortly before they expire; requests that need a token for the same scopes at
 * the same time share one fetch. Tokens go only to the host whose challenge this authenticator answers
 * (the caller sees to that: one authenticator per host).
 *
 * <p>A 401 is answered by the challenge: a wider {@code scope} than we asked for is asked for next
 * time; {@code error="invalid_token"} (expired, revoked) drops the token so one fresh fetch replaces it;
 * a refusal of the very token the service just gave us for these scopes is final, since another token
 * for the same scopes would be refused the same way (an anonymous push, say).
 */
public final class TokenAuthenticator implements Authenticator {

    private final HostAuthContext host;
    private final AuthChallenge challenge;
    private final TokenService service;
    private final Map<String, TokenSlot> slots = new ConcurrentHashMap<>();
    /** Scopes a challenge asked for beyond what requests needing the key's scopes ask. */
    private final Map<String, List<String>> widened = new ConcurrentHashMap<>();

    public TokenAuthenticator(HostAuthContext host, AuthChallenge challenge) {
        if (challenge.realm() == null || challenge.realm().isBlank()) {
            throw new IllegalArgumentException("the Bearer challenge of " + host.host() + " names no realm");
        }
        this.host = host;
        this.challenge = challenge;
        this.service = new TokenService(host, challenge);
    }

    @Override
    public Optional<String> authorization(List<String> scopes) throws IOException {
        List<String> wanted = effective(scopes);
        TokenSlot slot = slots.computeIfAbsent(Scopes.key(wanted), key -> new TokenSlot(host.clock()));
        return Optional.of("Bearer " + slot.current(() -> service.fetch(wanted)));
    }

    @Override
    public Answer onChallenge(AuthChallenge refusal, List<String> scopes, Optional<String> sent, HostAuthContext context)
            throws IOException {
        if (!refusal.isBearer() || !sameTokenService(refusal)) {
            return Authenticator.answerFirst(refusal, context);
        }
        List<String> asked = effective(scopes);
        List<String> merged = Scopes.merge(asked, refusal.scopes());
        if (!Scopes.key(merged).equals(Scopes.key(asked))) {
            // The challenge's scope wins: the host names its repository as it knows it (a redirect target
            // holds the images under another path) or needs more actions than we thought.
            widened.put(Scopes.key(requested(scopes)), merged);
            return new Answer(this, true);
        }
        if (sent.isEmpty() || !sent.get().startsWith("Bearer ")) {
            return new Answer(this, true); // sent before this host's scheme was known
        }
        TokenSlot slot = slots.get(Scopes.key(asked));
        String sentToken = sent.get().substring("Bearer ".length());
        if (slot == null || !slot.holds(sentToken)) {
            return new Answer(this, true); // another request has replaced it meanwhile
        }
        if (refusal.isInvalidToken()) {
            slot.drop(sentToken);
            return new Answer(this, true);
        }
        return new Answer(this, false);
    }

    private List<String> requested(List<String> scopes) {
        return scopes.isEmpty() ? challenge.scopes() : scopes;
    }

    private List<String> effective(List<String> scopes) {
        List<String> base = requested(scopes);
        return widened.getOrDefault(Scopes.key(base), base);
    }

    private boolean sameTokenService(AuthChallenge other) {
        return Objects.equals(challenge.realm(), other.realm()) && Objects.equals(challenge.service(), other.service());
    }

    @Override
    public String toString() {
        return "TokenAuthenticator[host=" + host.host() + ", realm=" + challenge.realm() + "]";
    }
}
