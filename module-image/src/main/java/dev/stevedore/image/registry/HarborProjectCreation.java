package dev.stevedore.image.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /api/v2.0/projects} with Harbor's {@code ProjectReq}: creates a private project, as Harbor's
 * UI does by default. Yields true for 201 Created, false for 409 Conflict: the project exists already
 * (made meanwhile, or private and not listed for this user).
 */
final class HarborProjectCreation implements RegistryEndpoint<Boolean> {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI origin;
    private final String project;
    private final String authorization;

    HarborProjectCreation(URI origin, String project, String authorization) {
        this.origin = origin;
        this.project = project;
        this.authorization = authorization;
    }

    @Override
    public String method() {
        return "POST";
    }

    @Override
    public URI uri() {
        return URI.create(origin + "/api/v2.0/projects");
    }

    @Override
    public Map<String, String> headers() {
        return Map.of("Content-Type", "application/json", "Accept", "application/json");
    }

    @Override
    public HttpRequest.BodyPublisher body() {
        ObjectNode request = JSON.createObjectNode().put("project_name", project);
        request.putObject("metadata").put("public", "false");
        return HttpRequest.BodyPublishers.ofString(request.toString(), StandardCharsets.UTF_8);
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
    public boolean accepts(int status) {
        return status == 201 || status == 409;
    }

    @Override
    public Boolean handle(HttpResponse<InputStream> response) throws IOException {
        response.body().close();
        return response.statusCode() == 201;
    }

    @Override
    public String action() {
        return "create Harbor project " + project + " on registry " + origin.getRawAuthority();
    }
}
