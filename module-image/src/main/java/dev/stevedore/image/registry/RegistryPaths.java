package dev.stevedore.image.registry;

import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.ImageReference;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** URLs, scopes and descriptions of one repository on one registry. */
record RegistryPaths(URI origin, ImageReference image) {

    URI manifest(String reference) {
        return URI.create(origin + "/v2/" + image.repository() + "/manifests/" + reference);
    }

    URI referrers(Digest subject) {
        return URI.create(origin + "/v2/" + image.repository() + "/referrers/" + subject);
    }

    URI blob(Digest digest) {
        return URI.create(origin + "/v2/" + image.repository() + "/blobs/" + digest);
    }

    URI uploads(String query) {
        return URI.create(origin + "/v2/" + image.repository() + "/blobs/uploads/" + (query.isEmpty() ? "" : "?" + query));
    }

    /** The upload {@code location} with {@code name=value} added to its query, which it may already have. */
    static URI withQuery(URI location, String name, String value) {
        String text = location.toString();
        String parameter = name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
        return URI.create(text + (location.getRawQuery() == null ? "?" : "&") + parameter);
    }

    List<String> pull() {
        return List.of("repository:" + image.repository() + ":pull");
    }

    List<String> push() {
        return List.of("repository:" + image.repository() + ":pull,push");
    }

    /** The registry host, for messages. */
    String host() {
        return origin.getAuthority();
    }

    String imageName() {
        return image.registry() + "/" + image.repository();
    }
}
