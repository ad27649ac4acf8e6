package dev.stevedore.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /api/v2.0/projects?name=<project>}: whether Harbor has the project. Harbor matches
 * {@code name} as a substring and answers a JSON array of the projects the user may see, so the project
 * exists when one of them has exactly its name. A private project the user is not a member of is not
 * listed; creating it then answers 409, which {@link HarborProjects} reads as "it exists".
 */
final class HarborProjectLookup implements RegistryEndpoint<Boolean> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY = 4 * 1024 * 1024;

    private final URI origin;
    private final String host;
    private final String project;
    private final String authorization;

    HarborProjectLookup(URI origin, String project, String authorization) {
        this.origin = origin;
        this.host = origin.getRawAuthority();
        this.project = project;
        this.authorization = authorization;
    }

    @Override
    public String method() {
        return "GET";
    }

    @Override
    public URI uri() {
        // Harbor pages at most 100 projects; more names containing this one are unlikely, and a miss costs a 409.
        return URI.create(origin + "/api/v2.0/projects?name=" + URLEncoder.encode(project, StandardCharsets.UTF_8) + "&page_size=100");
    }

    @Override
    public Map<String, String> headers() {
        return Map.of("Accept", "application/json");
    }

    @Override
    public Optional<String> authorization() {
        return Optional.of(authorization);
    }

    @Override
    public List<String> scopes() {
        return List.of();
    }

    @Override
    public Boolean handle(HttpResponse<InputStream> response) throws IOException {
        byte[] body;
        try (InputStream in = response.body()) {
            body = in.readNBytes(MAX_BODY);
        }
        JsonNode projects;
        try {
            projects = JSON.readTree(body);
        } catch (IOException notJson) {
            projects = null;
        }
        if (projects == null || !projects.isArray()) {
            throw new RegistryException("registry " + host + " answered GET /api/v2.0/projects with something other than Harbor's list of"
                    + " projects while trying to " + action() + ": create_project works with Harbor only, and registries without projects"
                    + " need none created; remove create_project");
        }
        for (JsonNode found : projects) {
            if (project.equals(found.path("name").asText())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String action() {
        return "look up Harbor project " + project + " on registry " + host;
    }
}
