package dev.stevedore.image.registry.auth;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * How one host authenticates requests: nothing, Basic credentials, or Bearer tokens. Each answers the
 * host's 401 challenges itself, so the state of a host moves on without anyone asking what it is.
 */
public interface Authenticator {

    /** Sends nothing: anonymous access, until the host challenges. */
    Authenticator NONE = new Authenticator() {
        @Override
        public Optional<String> authorization(List<String> scopes) {
            return Optional.empty();
        }

        @Override
        public Answer onChallenge(AuthChallenge challenge, List<String> scopes, Optional<String> sent, HostAuthContext host)
                throws IOException {
            return answerFirst(challenge, host);
        }

        @Override
        public String toString() {
            return "Authenticator.NONE";
        }
    };

    /** The header value, or empty to send none. May fetch a token. */
    Optional<String> authorization(List<String> scopes) throws IOException;

    /**
     * Answers a 401 from this authenticator's host.
     *
     * @param scopes what the refused request needed
     * @param sent   the {@code Authorization} the refused request carried, if any
     */
    Answer onChallenge(AuthChallenge challenge, List<String> scopes, Optional<String> sent, HostAuthContext host) throws IOException;

    /**
     * What follows a challenge.
     *
     * @param next  the authenticator for this host from now on
     * @param retry whether sending the refused request again may now succeed
     */
    record Answer(Authenticator next, boolean retry) {
    }

    /** A host's first challenge of a scheme: Bearer always gets a token service; Basic needs credentials. */
    static Answer answerFirst(AuthChallenge challenge, HostAuthContext host) throws IOException {
        if (challenge.isBearer() && challenge.realm() != null && !challenge.realm().isBlank()) {
            return new Answer(new TokenAuthenticator(host, challenge), true);
        }
        if (challenge.isBasic()) {
            Optional<Credentials> credentials = host.credentials().get().filter(Credentials::isPassword);
            if (credentials.isPresent()) {
                return new Answer(new BasicAuthenticator(credentials.get()), true);
            }
        }
        return new Answer(NONE, false);
    }
}
