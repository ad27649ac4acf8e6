package dev.stevedore.image.registry.auth;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** Sends the same Basic credentials with every request to its host, whatever the scopes. */
public record BasicAuthenticator(Credentials credentials) implements Authenticator {

    @Override
    public Optional<String> authorization(List<String> scopes) {
        return Optional.of(credentials.basicHeader());
    }

    @Override
    public Answer onChallenge(AuthChallenge challenge, List<String> scopes, Optional<String> sent, HostAuthContext host)
            throws IOException {
        if (challenge.isBasic()) {
            // Requests sent together all go out anonymously; the first 401 taught Basic auth, the others
            // were refused before that and are sent again with it. Refused with the credentials: final.
            return new Answer(this, sent.isEmpty());
        }
        return Authenticator.answerFirst(challenge, host);
    }

    @Override
    public String toString() {
        return "BasicAuthenticator[user=" + credentials.username() + "]";
    }
}
