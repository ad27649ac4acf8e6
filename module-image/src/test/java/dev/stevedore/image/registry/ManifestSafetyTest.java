package dev.stevedore.image.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.image.oci.MediaTypes;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.testsupport.FaultProxy;
import dev.stevedore.testsupport.RegistryServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Manifests the client must refuse: schema 1, oversized, or not what their digest says. */
class ManifestSafetyTest {

    static RegistryServer registry;
    static FaultProxy proxy;
    static RegistryTarget target;
    static ImageReference image;

    @BeforeAll
    static void start() throws Exception {
        registry = RegistryServer.start();
        proxy = FaultProxy.start(registry.baseUri());
        target = new RegistryTarget(Settings.of(List.of(Settings.plain(proxy.hostPort()))));
        image = ImageReference.parse(proxy.hostPort() + "/safety/app:1");
    }

    @AfterEach
    void clear() {
        proxy.clearFaults();
    }

    @AfterAll
    static void stop() {
        proxy.close();
        registry.close();
    }

    @Test
    void aDockerSchema1ManifestIsRefusedClearly() {
        proxy.on("GET", ".*/manifests/.*").respond(200, Map.of("Content-Type", MediaTypes.DOCKER_SCHEMA1_SIGNED),
                "{\"schemaVersion\":1,\"name\":\"safety/app\",\"tag\":\"1\",\"fsLayers\":[]}");
        RegistryException.UnsupportedManifest e = assertThrows(RegistryException.UnsupportedManifest.class,
                () -> target.fetchManifest(image, Digest.sha256Of(new byte[0])));
        assertTrue(e.getMessage().contains("schema 1") && e.getMessage().contains("safety/app"), e.getMessage());
    }

    @Test
    void aSchema1ImageAskedForByDigestIsNamedWithTheDigestSeparator() {
        proxy.on("GET", ".*/manifests/.*").respond(200, Map.of("Content-Type", MediaTypes.DOCKER_SCHEMA1_SIGNED),
                "{\"schemaVersion\":1,\"name\":\"safety/app\",\"tag\":\"1\",\"fsLayers\":[]}");
        Digest digest = Digest.sha256Of(new byte[0]);
        RegistryException.UnsupportedManifest e = assertThrows(RegistryException.UnsupportedManifest.class,
                () -> target.fetchManifest(image, digest));
        assertTrue(e.getMessage().contains("safety/app@" + digest + " on registry"), e.getMessage());
        assertFalse(e.getMessage().contains("safety/app:" + digest), e.getMessage());
    }

    @Test
    void aManifestWithoutMediaTypeServedAsJsonIsTypedByItsStructure() throws Exception {
        String chart = "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"" + MediaTypes.HELM_CONFIG + "\",\"digest\":\""
                + Digest.sha256Of(new byte[0]) + "\",\"size\":0},\"layers\":[]}";
        proxy.on("GET", ".*/manifests/.*").respond(200, Map.of("Content-Type", "application/json"), chart);
        assertEquals(MediaTypes.OCI_MANIFEST, target.fetchManifest(image, Digest.sha256Of(chart.getBytes())).mediaType());
    }

    @Test
    void aSchema1AnswerToHeadIsRefusedWhenResolving() {
        proxy.on("HEAD", ".*/manifests/.*").respond(200, Map.of("Content-Type", MediaTypes.DOCKER_SCHEMA1_SIGNED), "");
        proxy.on("GET", ".*/manifests/.*").respond(200, Map.of("Content-Type", MediaTypes.DOCKER_SCHEMA1_SIGNED), "{\"schemaVersion\":1}");
        assertThrows(RegistryException.UnsupportedManifest.class, () -> target.resolve(image));
    }

    @Test
    void aManifestOverFourMebibytesIsRefused() {
        String huge = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"pad\":\"" + "x".repeat(4 * 1024 * 1024) + "\"}";
        proxy.on("GET", ".*/manifests/.*").respond(200, Map.of("Content-Type", MediaTypes.OCI_MANIFEST), huge);
        RegistryException.UnsupportedManifest e = assertThrows(RegistryException.UnsupportedManifest.class,
                () -> target.fetchManifest(image, Digest.sha256Of(huge.getBytes())));
        assertTrue(e.getMessage().contains("4 MiB"), e.getMessage());
    }

    @Test
    void aManifestWhoseBytesDoNotMatchTheDigestAskedForIsRejected() {
        String body = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{},\"layers\":[]}";
        proxy.on("GET", ".*/manifests/.*").respond(200, Map.of("Content-Type", MediaTypes.OCI_MANIFEST), body);
        assertThrows(RegistryException.DigestMismatch.class, () -> target.fetchManifest(image, Digest.sha256Of(new byte[] {1})));
    }

    @Test
    void aManifestContradictingItsDockerContentDigestIsRejected() {
        String body = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{},\"layers\":[]}";
        proxy.on("GET", ".*/manifests/.*").respond(200, Map.of("Content-Type", MediaTypes.OCI_MANIFEST,
                "Docker-Content-Digest", Digest.sha256Of(new byte[] {2}).toString()), body);
        // HEAD without a digest makes resolve GET the manifest by tag; only the header can catch a wrong body then.
        proxy.on("HEAD", ".*/manifests/.*").respond(200, Map.of("Content-Type", MediaTypes.OCI_MANIFEST), "");
        RegistryException.DigestMismatch e = assertThrows(RegistryException.DigestMismatch.class, () -> target.resolve(image));
        assertTrue(e.getMessage().contains("Docker-Content-Digest"), e.getMessage());
    }
}
