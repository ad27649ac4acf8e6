package dev.stevedore.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A front shaped like Harbor's core in front of the real registry: it keeps Harbor's projects, answers
 * Harbor's project API, refuses registry requests into a project that does not exist, and passes the
 * rest to the registry ({@link UpstreamForwarder}). Harbor cannot be installed here; this models what
 * its sources and API docs say (goharbor/harbor, {@code api/v2.0/swagger.yaml}, {@code
 * src/server/v2.0/handler/project.go}, {@code src/pkg/project/dao/dao.go}, {@code src/lib/http/error.go},
 * {@code src/server/middleware/v2auth/auth.go}):
 * <ul>
 *   <li>{@code GET /api/v2.0/projects?name=X}: 200 with a JSON array of the projects whose name contains
 *       X (Harbor's fuzzy match) and {@code X-Total-Count}; 401 without valid credentials.</li>
 *   <li>{@code POST /api/v2.0/projects} with a {@code ProjectReq} ({@code {"project_name": ...}}): 201 with
 *       {@code Location: /api/v2.0/projects/<id>} and no body; 409 CONFLICT "The project named X already
 *       exists"; 400 BAD_REQUEST for a name Harbor refuses; 403 FORBIDDEN "Only system admin can create
 *       project" when only admins may create projects and the user is not one; 401 without credentials.</li>
 *   <li>a registry request ({@code /v2/<project>/...}) with credentials into a project that does not exist:
 *       v2auth's answer, 401 UNAUTHORIZED "project X not found" with an empty {@code Www-Authenticate}, or,
 *       with {@link MissingProject#NOT_FOUND}, the project store's 404 NOT_FOUND "project X not found"
 *       as it reaches a client through other paths.</li>
 * </ul>
 * Errors carry Harbor's body, {@code {"errors":[{"code":...,"message":...}]}} with a newline, as
 * {@code application/json; charset=utf-8}. Credentials are HTTP Basic, checked against the one user the
 * front is given; the registry behind checks its own (give it the same htpasswd user).
 */
public final class HarborFront implements AutoCloseable {

    /** How a registry request into a missing project is refused. */
    public enum MissingProject {
        /** Harbor 2.x's v2auth middleware: 401 UNAUTHORIZED "project X not found", empty challenge. */
        UNAUTHORIZED,
        /** 404 NOT_FOUND "project X not found". */
        NOT_FOUND
    }

    /** One request the front answered or passed on, with whether it carried Basic credentials of the user. */
    public record Exchange(String method, String path, String query, boolean authenticated, int status) { }

    /** Names the front takes for projects: one lower-case OCI path component (Harbor's swagger caps them at 255 characters). */
    private static final Pattern PROJECT_NAME = Pattern.compile("[a-z0-9]+(?:[._-][a-z0-9]+)*");
    private static final Pattern PROJECT_REQUEST = Pattern.compile("\"project_name\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final HttpServer server;
    private final ExecutorService executor;
    private final UpstreamForwarder registry;
    private final String user;
    private final String password;
    private final Map<String, Integer> projects = new LinkedHashMap<>();
    private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
    private volatile MissingProject missingProject = MissingProject.UNAUTHORIZED;
    private volatile boolean onlyAdminsCreate;

    private HarborFront(HttpServer server, URI registry, String user, String password) {
        this.server = server;
        this.registry = new UpstreamForwarder(registry);
        this.user = user;
        this.password = password;
        this.executor = TestServerThreads.serve(server, "harbor-front", this::handle);
    }

    /**
     * Plain HTTP on 127.0.0.1 in front of {@code registry}, with the user the project API accepts; the
     * project {@code library} exists, as in every Harbor.
     */
    public static HarborFront start(URI registry, String user, String password) throws IOException {
        HarborFront front = new HarborFront(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50),
                registry, user, password);
        front.addProject("library");
        return front;
    }

    public String hostPort() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    public URI baseUri() {
        return URI.create("http://" + hostPort());
    }

    /** Refuse registry requests into missing projects this way from now on. */
    public HarborFront refusingMissingProjectsWith(MissingProject answer) {
        this.missingProject = answer;
        return this;
    }

    /** Harbor's "only admin can create project" setting, with the front's user not an admin. */
    public HarborFront onlyAdminsCreateProjects() {
        this.onlyAdminsCreate = true;
        return this;
    }

    /** A project made as an administrator would, in Harbor's UI. */
    public synchronized void addProject(String name) {
        projects.putIfAbsent(name, projects.size() + 1);
    }

    public synchronized List<String> projects() {
        return List.copyOf(projects.keySet());
    }

    /** Every request so far, oldest first. */
    public List<Exchange> exchanges() {
        return List.copyOf(exchanges);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            boolean authenticated = authenticated(exchange);
            int status;
            if (path.equals("/api/v2.0/projects") || path.equals("/api/v2.0/projects/")) {
                status = projectsApi(exchange, query, authenticated);
            } else if (path.startsWith("/v2/") && path.length() > 4 && missingProject(path) != null && exchange.getRequestHeaders()
                    .containsKey("Authorization")) {
                exchange.getRequestBody().readAllBytes();
                String project = missingProject(path);
                if (missingProject == MissingProject.UNAUTHORIZED) {
                    exchange.getResponseHeaders().set("Docker-Distribution-Api-Version", "registry/2.0");
                    exchange.getResponseHeaders().set("Www-Authenticate", "");
                    status = error(exchange, 401, "UNAUTHORIZED", "project " + project + " not found");
                } else {
                    status = error(exchange, 404, "NOT_FOUND", "project " + project + " not found");
                }
            } else {
                status = registry.forward(exchange, baseUri().toString(), answered -> Map.of());
            }
            exchanges.add(new Exchange(exchange.getRequestMethod(), path, query, authenticated, status));
        }
    }

    /** The project of a registry request's repository when Harbor has no such project, else null. */
    private synchronized String missingProject(String path) {
        String repositoryPath = path.substring("/v2/".length());
        int slash = repositoryPath.indexOf('/');
        if (slash <= 0 || repositoryPath.startsWith("_catalog")) {
            return null;
        }
        String project = repositoryPath.substring(0, slash);
        return projects.containsKey(project) ? null : project;
    }

    private int projectsApi(HttpExchange exchange, String query, boolean authenticated) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (!authenticated) {
            return error(exchange, 401, "UNAUTHORIZED", "unauthorized");
        }
        return switch (exchange.getRequestMethod()) {
            case "GET" -> list(exchange, parameter(query, "name"));
            case "POST" -> create(exchange, body);
            default -> error(exchange, 405, "METHOD_NOT_ALLOWED", "method not allowed");
        };
    }

    private int list(HttpExchange exchange, String name) throws IOException {
        String json;
        int count;
        synchronized (this) {
            List<Map.Entry<String, Integer>> matching = projects.entrySet().stream()
                    .filter(p -> name == null || p.getKey().contains(name)).toList();
            count = matching.size();
            json = matching.stream().map(p -> "{\"project_id\":" + p.getValue() + ",\"name\":" + Json.string(p.getKey())
                            + ",\"owner_name\":\"admin\",\"repo_count\":0,\"metadata\":{\"public\":\"false\"}}")
                    .collect(Collectors.joining(",", "[", "]"));
        }
        exchange.getResponseHeaders().set("X-Total-Count", Integer.toString(count));
        return json(exchange, 200, json);
    }

    private int create(HttpExchange exchange, String body) throws IOException {
        if (onlyAdminsCreate) {
            return error(exchange, 403, "FORBIDDEN", "Only system admin can create project");
        }
        Matcher request = PROJECT_REQUEST.matcher(body);
        if (!request.find()) {
            return error(exchange, 400, "BAD_REQUEST", "validation failure list:\nproject_name in body is required");
        }
        String name = request.group(1);
        if (!PROJECT_NAME.matcher(name).matches() || name.length() > 255) {
            return error(exchange, 400, "BAD_REQUEST", "the project name is invalid: " + name);
        }
        int id;
        synchronized (this) {
            if (projects.containsKey(name)) {
                return error(exchange, 409, "CONFLICT", "The project named " + name + " already exists");
            }
            id = projects.size() + 1;
            projects.put(name, id);
        }
        exchange.getResponseHeaders().set("Location", "/api/v2.0/projects/" + id);
        exchange.sendResponseHeaders(201, -1);
        return 201;
    }

    private boolean authenticated(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.startsWith("Basic ")) {
            return false;
        }
        String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        return decoded.equals(user + ":" + password);
    }

    private static String parameter(String query, String name) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8).equals(name)) {
                return URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /** Harbor's error body: lib/http SendError writes the errors array and a newline. */
    private static int error(HttpExchange exchange, int status, String code, String message) throws IOException {
        return json(exchange, status, "{\"errors\":[{\"code\":" + Json.string(code) + ",\"message\":" + Json.string(message) + "}]}\n");
    }

    private static int json(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(status, -1);
            return status;
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
        return status;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        return "HarborFront[" + baseUri() + " -> registry, projects " + projects() + "]";
    }
}
