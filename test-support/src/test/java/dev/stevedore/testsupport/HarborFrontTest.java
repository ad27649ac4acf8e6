package dev.stevedore.testsupport;

import static dev.stevedore.testsupport.RegistryServerTest.basic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Harbor front answers Harbor's project API as its docs say and passes the registry's traffic through. */
class HarborFrontTest {

    private static final String USER = "admin";
    private static final String PASSWORD = "Harbor12345";

    private RegistryServer registry;
    private HarborFront harbor;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws IOException {
        registry = RegistryServer.builder().basicAuth(USER, PASSWORD).start();
        harbor = HarborFront.start(registry.baseUri(), USER, PASSWORD);
    }

    @AfterEach
    void stop() {
        harbor.close();
        registry.close();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.header("Authorization", basic(USER, PASSWORD)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder api(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(harbor.baseUri() + "/api/v2.0" + pathAndQuery));
    }

    @Test
    void projectsAreListedByNameCreatedOnceAndRefusedTwice() throws Exception {
        HttpResponse<String> none = send(api("/projects?name=team").GET());
        assertEquals(200, none.statusCode());
        assertEquals("[]", none.body());
        assertEquals("0", none.headers().firstValue("X-Total-Count").orElseThrow());

        String request = "{\"project_name\":\"team\",\"metadata\":{\"public\":\"false\"}}";
        HttpResponse<String> created = send(api("/projects").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request)));
        assertEquals(201, created.statusCode());
        assertEquals("/api/v2.0/projects/2", created.headers().firstValue("Location").orElseThrow(), "library is project 1");
        assertEquals("", created.body());

        HttpResponse<String> again = send(api("/projects").POST(HttpRequest.BodyPublishers.ofString(request)));
        assertEquals(409, again.statusCode());
        assertEquals("{\"errors\":[{\"code\":\"CONFLICT\",\"message\":\"The project named team already exists\"}]}\n", again.body());

        HttpResponse<String> listed = send(api("/projects?name=tea").GET());
        assertTrue(listed.body().contains("\"name\":\"team\""), listed.body());
        assertEquals(List.of("library", "team"), harbor.projects());
    }

    @Test
    void withoutCredentialsTheApiAnswers401() throws Exception {
        HttpResponse<String> answer = http.send(api("/projects?name=x").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, answer.statusCode());
        assertEquals("application/json; charset=utf-8", answer.headers().firstValue("Content-Type").orElseThrow());
    }

    @Test
    void aPushIntoAMissingProjectIsRefusedAndIntoAnExistingOneReachesTheRegistry() throws Exception {
        HttpRequest.Builder upload = HttpRequest.newBuilder(URI.create(harbor.baseUri() + "/v2/ghost/app/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody());
        HttpResponse<String> refused = send(upload);
        assertEquals(401, refused.statusCode());
        assertEquals("{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"project ghost not found\"}]}\n", refused.body());

        harbor.refusingMissingProjectsWith(HarborFront.MissingProject.NOT_FOUND);
        assertEquals(404, send(HttpRequest.newBuilder(URI.create(harbor.baseUri() + "/v2/ghost/app/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody())).statusCode());

        MiniRegistryClient client = new MiniRegistryClient(harbor.baseUri(), null, basic(USER, PASSWORD));
        byte[] manifest = client.pushSmallImage("library/app", "1");
        HttpResponse<byte[]> pulled = client.getManifest("library/app", "1");
        assertEquals(200, pulled.statusCode());
        assertEquals(new String(manifest), new String(pulled.body()), "passed through to the registry and back");
    }
}
