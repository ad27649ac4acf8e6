package dev.stevedore.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The pull-limit front counts manifest GETs as Docker Hub documents, announces what is left, and refuses at zero. */
class PullLimitFrontTest {

    private RegistryServer registry;
    private PullLimitFront hub;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws IOException {
        registry = RegistryServer.start();
        MiniRegistryClient.plain(registry.baseUri()).pushSmallImage("library/app", "1");
        hub = PullLimitFront.start(registry.baseUri()).pullLimit(100, 2, Duration.ofHours(6));
    }

    @AfterEach
    void stop() {
        hub.close();
        registry.close();
    }

    private HttpResponse<String> manifest(String method) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(hub.baseUri() + "/v2/library/app/manifests/1"))
                .header("Accept", MiniRegistryClient.OCI_MANIFEST).method(method, HttpRequest.BodyPublishers.noBody()).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aHeadIsFreeEachGetIsAPullAndNoneLeftIs429() throws Exception {
        HttpResponse<String> head = manifest("HEAD");
        assertEquals(200, head.statusCode());
        assertEquals("2;w=21600", head.headers().firstValue("RateLimit-Remaining").orElseThrow());
        assertEquals("100;w=21600", head.headers().firstValue("RateLimit-Limit").orElseThrow());

        assertEquals("1;w=21600", manifest("GET").headers().firstValue("RateLimit-Remaining").orElseThrow());
        assertEquals("0;w=21600", manifest("GET").headers().firstValue("RateLimit-Remaining").orElseThrow());
        HttpResponse<String> refused = manifest("GET");
        assertEquals(429, refused.statusCode());
        assertEquals("0;w=21600", refused.headers().firstValue("RateLimit-Remaining").orElseThrow());
        assertEquals("{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"" + PullLimitFront.PULL_LIMIT_MESSAGE + "\"}]}",
                refused.body());
        assertEquals(200, manifest("HEAD").statusCode(), "a version check still answers");
        assertEquals(0, hub.remaining());
    }
}
