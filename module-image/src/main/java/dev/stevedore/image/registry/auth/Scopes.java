package dev.stevedore.image.registry.auth;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Token scopes of the Docker token protocol, {@code type:name:action,action} (for example
 * {@code repository:library/nginx:pull}): merged the way a registry's challenge asks, keyed for the
 * token cache, and derived from a request to a host whose namespace we know only from its paths.
 */
public final class Scopes {

    /** {@code /v2/<name>/manifests/..}, {@code /blobs/..}, {@code /tags/list}, {@code /referrers/..}. */
    private static final Pattern REPOSITORY_PATH = Pattern.compile("^/v2/(.+?)/(?:manifests|blobs|tags|referrers)(?:/.*)?$");

    private Scopes() {
    }

    /**
     * What a request needs together with what the challenge names: one scope per resource, with the
     * actions of both. The challenge's scopes come first, as the registry that refused asked for them.
     */
    public static List<String> merge(List<String> needed, List<String> challenged) {
        Map<String, Set<String>> actionsByResource = new LinkedHashMap<>();
        for (String scope : concat(challenged, needed)) {
            int last = scope.lastIndexOf(':');
            if (last <= scope.indexOf(':')) {
                actionsByResource.putIfAbsent(scope, new LinkedHashSet<>()); // not type:name:actions; kept as it is
                continue;
            }
            Set<String> actions = actionsByResource.computeIfAbsent(scope.substring(0, last), k -> new LinkedHashSet<>());
            for (String action : scope.substring(last + 1).split(",")) {
                if (!action.isEmpty()) {
                    actions.add(action);
                }
            }
        }
        List<String> merged = new ArrayList<>();
        actionsByResource.forEach((resource, actions) ->
                merged.add(actions.isEmpty() ? resource : resource + ":" + String.join(",", actions)));
        return merged;
    }

    /** The same key for the same set of scopes, whatever their order. */
    public static String key(List<String> scopes) {
        return String.join(" ", new TreeSet<>(scopes));
    }

    /** Whether every scope of {@code wanted} is among {@code held} (after merging both). */
    public static boolean covers(List<String> held, List<String> wanted) {
        return key(merge(held, wanted)).equals(key(merge(held, List.of())));
    }

    /**
     * The scope a host's token service expects for a request, read from its path: {@code pull} to read,
     * {@code pull,push} to write. Used for hosts we were redirected to, whose repository names differ from
     * the image reference's; empty for paths that name no repository ({@code /v2/}).
     */
    public static List<String> forRequest(String method, String path) {
        Matcher matcher = REPOSITORY_PATH.matcher(path == null ? "" : path);
        if (!matcher.matches()) {
            return List.of();
        }
        boolean reads = method.equals("GET") || method.equals("HEAD");
        return List.of("repository:" + matcher.group(1) + (reads ? ":pull" : ":pull,push"));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
