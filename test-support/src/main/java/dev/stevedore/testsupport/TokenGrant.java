package dev.stevedore.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Turns requested scopes into the JWT {@code access} claim, given who asked. */
final class TokenGrant {
    private static final Set<String> USER_ACTIONS = Set.of("pull", "push", "delete", "*");

    private TokenGrant() {
    }

    /**
     * A known user gets every standard action asked for; an anonymous caller gets {@code pull} on
     * repositories if anonymous pull is allowed, else nothing (like Docker Hub: a token with empty access).
     */
    static String accessClaim(List<String> scopes, boolean authenticated, boolean anonymousPull) {
        List<String> entries = new ArrayList<>();
        for (String scope : scopes) {
            for (String single : scope.split(" ")) {
                int first = single.indexOf(':');
                int last = single.lastIndexOf(':');
                if (first < 0 || last <= first) {
                    continue; // malformed scopes grant nothing
                }
                String type = single.substring(0, first);
                String name = single.substring(first + 1, last);
                List<String> granted = new ArrayList<>();
                for (String action : single.substring(last + 1).split(",")) {
                    if (authenticated ? USER_ACTIONS.contains(action)
                            : anonymousPull && type.equals("repository") && action.equals("pull")) {
                        granted.add(action);
                    }
                }
                if (!granted.isEmpty()) {
                    entries.add("{\"type\":" + Json.string(type) + ",\"name\":" + Json.string(name)
                            + ",\"actions\":" + Json.strings(granted) + "}");
                }
            }
        }
        return entries.stream().collect(Collectors.joining(",", "[", "]"));
    }
}
