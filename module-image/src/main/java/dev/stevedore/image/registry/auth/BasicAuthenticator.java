package dev.stevedore.image.registry.auth;

import java.util.List;
import java.util.Optional;

/** Sends the same Basic credentials with every request, whatever the scopes. */
public record BasicAuthenticator(Credentials credentials) implements Authenticator {

    @Override
    public Optional<String> authorization(List<String> scopes) {
        return Optional.of(credentials.basicHeader());
    }
}
