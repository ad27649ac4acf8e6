package dev.stevedore.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReferrersApiServerTest {

    private static final String EMPTY = "{}";

    @Test
    void aManifestWithASubjectIsAnsweredWithOciSubjectAndListedPageByPage() throws Exception {
        try (RegistryServer registry = RegistryServer.start();
             ReferrersApiServer server = ReferrersApiServer.start(registry.baseUri())) {
            MiniRegistryClient client = MiniRegistryClient.plain(server.baseUri());
            byte[] subject = client.pushSmallImage("app", "1.0");
            String subjectDigest = MiniRegistryClient.digest(subject);
            HttpResponse<String> none = client.get("/v2/app/referrers/" + subjectDigest);
            assertEquals(200, none.statusCode(), "a registry with the API never answers 404 for a known repository");
            assertTrue(none.body().contains("\"manifests\":[]"), none.body());

            assertEquals(201, client.pushBlob("app", EMPTY.getBytes(StandardCharsets.UTF_8)).statusCode());
            List<String> digests = List.of(push(client, subjectDigest, subject.length, "application/spdx+json"),
                    push(client, subjectDigest, subject.length, "application/vnd.dev.sigstore.bundle.v0.3+json"));
            assertEquals(digests, server.referrersOf("app", subjectDigest));
            HttpResponse<String> plain = client.putManifest("app", "2.0", MiniRegistryClient.manifest(
                    EMPTY.getBytes(StandardCharsets.UTF_8), EMPTY.getBytes(StandardCharsets.UTF_8)));
            assertEquals(Optional.empty(), plain.headers().firstValue("OCI-Subject"), "no subject, no OCI-Subject");

            server.paginate(1);
            HttpResponse<String> first = client.get("/v2/app/referrers/" + subjectDigest);
            assertTrue(first.body().contains(digests.get(0)) && !first.body().contains(digests.get(1)), first.body());
            assertTrue(first.body().contains("\"artifactType\":\"application/spdx+json\""), first.body());
            String link = first.headers().firstValue("Link").orElseThrow();
            HttpResponse<String> second = client.get(link.substring(1, link.indexOf('>')));
            assertTrue(second.body().contains(digests.get(1)), second.body());
            assertFalse(second.headers().firstValue("Link").isPresent(), "the last page names no next one");
        }
    }

    private static String push(MiniRegistryClient client, String subject, int subjectSize, String artifactType) throws Exception {
        String empty = MiniRegistryClient.digest(EMPTY.getBytes(StandardCharsets.UTF_8));
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"artifactType\":\""
                + artifactType + "\",\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":\"" + empty
                + "\",\"size\":2},\"layers\":[{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":\"" + empty
                + "\",\"size\":2}],\"subject\":{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\""
                + subject + "\",\"size\":" + subjectSize + "}}").getBytes(StandardCharsets.UTF_8);
        String digest = MiniRegistryClient.digest(manifest);
        HttpResponse<String> pushed = client.putManifest("app", digest, manifest);
        assertEquals(201, pushed.statusCode(), pushed.body());
        assertEquals(Optional.of(subject), pushed.headers().firstValue("OCI-Subject"));
        return digest;
    }
}
