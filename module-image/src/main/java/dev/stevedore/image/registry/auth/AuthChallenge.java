package dev.stevedore.image.registry.auth;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code WWW-Authenticate} challenge: {@code Bearer realm="...",service="...",scope="a b"} or
 * {@code Basic realm="..."}. Parameter names are case-insensitive, values quoted or tokens.
 *
 * @param scheme     lower case: {@code bearer} or {@code basic}
 * @param parameters lower-case names to values
 */
public record AuthChallenge(String scheme, Map<String, String> parameters) {

    public AuthChallenge {
        scheme = scheme.toLowerCase(Locale.ROOT);
        parameters = Map.copyOf(parameters);
    }

    /** Parses the first challenge of a header value; empty when there is none. */
    public static Optional<AuthChallenge> parse(String header) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String text = header.trim();
        int space = text.indexOf(' ');
        String scheme = space < 0 ? text : text.substring(0, space);
        Map<String, String> parameters = new LinkedHashMap<>();
        int i = space < 0 ? text.length() : space + 1;
        while (i < text.length()) {
            while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == ',')) {
                i++;
            }
            int equals = text.indexOf('=', i);
            if (equals < 0) {
                break;
            }
            String name = text.substring(i, equals).trim().toLowerCase(Locale.ROOT);
            if (name.contains(" ")) {
                break; // the next challenge of a list begins; we use only the first
            }
            i = equals + 1;
            StringBuilder value = new StringBuilder();
            if (i < text.length() && text.charAt(i) == '"') {
                i++;
                while (i < text.length() && text.charAt(i) != '"') {
                    if (text.charAt(i) == '\\' && i + 1 < text.length()) {
                        i++;
                    }
                    value.append(text.charAt(i++));
                }
                i++;
            } else {
                while (i < text.length() && text.charAt(i) != ',') {
                    value.append(text.charAt(i++));
                }
            }
            parameters.putIfAbsent(name, value.toString().trim());
        }
        return Optional.of(new AuthChallenge(scheme, parameters));
    }

    public boolean isBearer() {
        return "bearer".equals(scheme);
    }

    public boolean isBasic() {
        return "basic".equals(scheme);
    }

    public String realm() {
        return parameters.get("realm");
    }

    public String service() {
        return parameters.get("service");
    }

    /** The scopes the challenge asks for, space separated in the header. */
    public List<String> scopes() {
        String scope = parameters.get("scope");
        List<String> scopes = new ArrayList<>();
        if (scope != null) {
            for (String s : scope.trim().split("\\s+")) {
                if (!s.isEmpty()) {
                    scopes.add(s);
                }
            }
        }
        return scopes;
    }

    /** {@code error="invalid_token"}: the token we sent expired or was revoked. */
    public boolean isInvalidToken() {
        return "invalid_token".equals(parameters.get("error"));
    }
}
