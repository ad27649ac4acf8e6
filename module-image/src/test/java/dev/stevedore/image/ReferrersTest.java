package dev.stevedore.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.engine.testkit.ModuleRun;
import dev.stevedore.engine.testkit.ModuleTestKit;
import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.oci.Manifest;
import dev.stevedore.image.oci.MediaTypes;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.registry.RegistryAuth;
import dev.stevedore.image.registry.MachineConfig;
import dev.stevedore.image.registry.RegistrySettings;
import dev.stevedore.image.registry.RetryLimits;
import dev.stevedore.image.registry.RegistryTarget;
import dev.stevedore.image.testing.RealWorldImages;
import dev.stevedore.image.testing.RealWorldImages.Shape;
import dev.stevedore.testsupport.FaultProxy;
import dev.stevedore.testsupport.ReferrersApiServer;
import dev.stevedore.testsupport.RegistryServer;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code referrers: true} (issue 18, part 3) against the real CNCF registry 2.8, which has only the tag
 * fallback, and against {@link ReferrersApiServer}, which serves the referrers API in front of one. The
 * image is a buildx index; an SPDX artifact made by {@code oras attach} refers to its amd64 manifest, and a
 * cosign signature of the index sits under {@code sha256-<hex>.sig}: byte-exact documents from
 * {@link RealWorldImages}. On registry 2.8 the SPDX artifact is listed, as oras writes it there, in the
 * tag schema's {@code sha256-<hex>} index; behind the API server it is listed by the API only.
 */
class ReferrersTest {

    private static final String ACCEPT = String.join(", ", MediaTypes.OCI_INDEX, MediaTypes.OCI_MANIFEST,
            MediaTypes.DOCKER_MANIFEST_LIST, MediaTypes.DOCKER_MANIFEST);
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static RegistryServer tagOrigin;
    static RegistryServer apiOriginBackend;
    static ReferrersApiServer apiOrigin;
    static RegistryServer mirror;
    static RegistryServer apiMirrorBackend;
    static ReferrersApiServer apiMirror;
    static Shape image;
    static Shape sbom;
    static Shape signature;
    static Manifest fallbackIndex;
    static Manifest bundle;
    static byte[] bundleBlob;
    static ModuleTestKit kit;

    @TempDir
    Path work;

    @BeforeAll
    static void seed() throws Exception {
        tagOrigin = RegistryServer.start();
        apiOriginBackend = RegistryServer.start();
        apiOrigin = ReferrersApiServer.start(apiOriginBackend.baseUri());
        mirror = RegistryServer.start();
        apiMirrorBackend = RegistryServer.start();
        apiMirror = ReferrersApiServer.start(apiMirrorBackend.baseUri());
        RealWorldImages images = new RealWorldImages();
        image = images.buildxWithAttestations();
        sbom = images.spdxArtifact(image.children().get(0));
        signature = images.cosignSignature(image.root().digest());
        // What oras attach writes to a registry without the API: the referrers tag schema's index.
        String index = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[{"
                + "\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + sbom.root().digest()
                + "\",\"size\":" + sbom.root().size() + ",\"annotations\":{\"org.opencontainers.image.created\":\"2024-05-01T10:00:00Z\"},"
                + "\"artifactType\":\"application/spdx+json\"}]}";
        fallbackIndex = Manifest.of(index.getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_INDEX);
        // What cosign 2 with --new-bundle-format pushes to a registry with the API: a sigstore bundle with a subject.
        bundleBlob = "{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\",\"verificationMaterial\":{},\"messageSignature\":{}}"
                .getBytes(StandardCharsets.UTF_8);
        Manifest amd64 = image.children().get(0);
        bundle = Manifest.of(("{\n  \"schemaVersion\": 2,\n  \"mediaType\": \"application/vnd.oci.image.manifest.v1+json\",\n"
                + "  \"artifactType\": \"application/vnd.dev.sigstore.bundle.v0.3+json\",\n  \"config\": {\n"
                + "    \"mediaType\": \"application/vnd.oci.empty.v1+json\",\n    \"digest\": \"" + Digest.sha256Of("{}".getBytes(StandardCharsets.UTF_8))
                + "\",\n    \"size\": 2,\n    \"data\": \"e30=\"\n  },\n  \"layers\": [\n    {\n"
                + "      \"mediaType\": \"application/vnd.dev.sigstore.bundle.v0.3+json\",\n      \"digest\": \"" + Digest.sha256Of(bundleBlob)
                + "\",\n      \"size\": " + bundleBlob.length + "\n    }\n  ],\n  \"annotations\": {\n"
                + "    \"dev.sigstore.bundle.predicateType\": \"https://sigstore.dev/cosign/sign/v1\"\n  },\n  \"subject\": {\n"
                + "    \"mediaType\": \"" + amd64.mediaType() + "\",\n    \"digest\": \"" + amd64.digest() + "\",\n    \"size\": "
                + amd64.size() + "\n  }\n}").getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_MANIFEST);
        seed(tagOrigin.hostPort(), true);
        seed(apiOrigin.hostPort(), false);
        kit = ModuleTestKit.of(new ImageModule(new RealTargets()))
                .withVariable("tag_origin", tagOrigin.hostPort()).withVariable("api_origin", apiOrigin.hostPort())
                .withVariable("mirror", mirror.hostPort()).withVariable("api_mirror", apiMirror.hostPort());
    }

    private static void seed(String registry, boolean withTagIndex) throws Exception {
        RegistrySettings settings = RegistrySettings.defaults(List.of(RegistryAuth.of(registry).withPlainHttp(true)))
                .withLimits(new RetryLimits(Duration.ofSeconds(5), Duration.ofSeconds(20), 3, Duration.ofSeconds(10)))
                .withMachine(new MachineConfig(Map.of(), null));
        ImageReference ref = ImageReference.parse(image.reference(registry));
        try (RegistryTarget target = new RegistryTarget(settings)) {
            for (Shape shape : List.of(image, sbom, signature)) {
                for (Map.Entry<Digest, byte[]> blob : shape.blobs().entrySet()) {
                    target.writeBlob(ref, new Descriptor("application/octet-stream", blob.getKey(), blob.getValue().length),
                            new ByteArrayInputStream(blob.getValue()));
                }
            }
            for (Manifest child : image.children()) {
                target.writeManifest(ref, child);
            }
            target.tag(ref, image.root());
            target.writeManifest(ref, sbom.root());
            if (withTagIndex) {
                target.tag(ref.withTag("sha256-" + image.children().get(0).digest().hex()), fallbackIndex);
            } else {
                target.writeBlob(ref, new Descriptor("application/octet-stream", Digest.sha256Of("{}".getBytes(StandardCharsets.UTF_8)), 2),
                        new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8)));
                target.writeBlob(ref, new Descriptor("application/octet-stream", Digest.sha256Of(bundleBlob), bundleBlob.length),
                        new ByteArrayInputStream(bundleBlob));
                target.writeManifest(ref, bundle);
            }
            target.tag(ref.withTag(signature.tag()), signature.root());
        }
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable server : new AutoCloseable[] {apiOrigin, apiMirror, tagOrigin, apiOriginBackend, mirror, apiMirrorBackend}) {
            try {
                if (server != null) {
                    server.close();
                }
            } catch (Exception e) {
                // stopping test servers; nothing to assert
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "local-v2", "oci-layout"})
    void signatureAndSbomFoundByTagsArePulledIntoADirectoryAndPushedFromItToARegistryWithoutTheApi(String format) throws Exception {
        Path dir = work.resolve(format);
        String scheme = format.startsWith("local") ? "local" : format;
        ModuleRun pulled = kit.runYaml("""
                manifests: ["${tag_origin}/app/buildx:1.0"]
                dest: "%s://%s"
                referrers: true
                %s
                auths: [{registry: "${tag_origin}", plain_http: true}]
                """.formatted(scheme, dir, format.equals("local-v2") ? "layout: kubekey-v2" : ""));
        assertEquals("success", pulled.result().stdout(), pulled.result().error());
        assertReferrers(pulled, Map.of(sbom.root().digest().toString(), "tag_schema", signature.root().digest().toString(), "cosign_tag"));

        ModuleRun pushed = kit.runYaml("""
                src: "%s://%s"
                dest: "oci://${mirror}/%s/${module.image.reference.repository}:${module.image.reference.reference}"
                referrers: true
                auths: [{registry: "${mirror}", plain_http: true}]
                """.formatted(scheme, dir, format));
        assertEquals("success", pushed.result().stdout(), pushed.result().error());
        assertEquals(1L, pushed.result().data().get("images_total"), "referrer tags travel with their image, not as images");
        assertReferrers(pushed, Map.of(sbom.root().digest().toString(), "tag_schema", signature.root().digest().toString(), "cosign_tag"));
        String repository = format + "/app/buildx";
        assertEquals(signature.root().digest(), Digest.sha256Of(raw(mirror.baseUri(), repository, signature.tag())));
        assertEquals(sbom.root().digest(), Digest.sha256Of(raw(mirror.baseUri(), repository, sbom.root().digest().toString())));
        String tagIndex = new String(raw(mirror.baseUri(), repository, "sha256-" + image.children().get(0).digest().hex()),
                StandardCharsets.UTF_8);
        assertTrue(tagIndex.contains(sbom.root().digest().toString()) && tagIndex.contains("\"artifactType\":\"application/spdx+json\""),
                tagIndex);

        ModuleRun again = kit.runYaml("""
                src: "%s://%s"
                dest: "oci://${mirror}/%s/${module.image.reference.repository}:${module.image.reference.reference}"
                referrers: true
                auths: [{registry: "${mirror}", plain_http: true}]
                """.formatted(scheme, dir, format));
        assertEquals("success", again.result().stdout(), again.result().error());
        assertFalse(again.result().changed(), "nothing new: neither the image nor its referrers are written again");
    }

    @Test
    void referrersListedByTheApiAtTheSourceArePushedThroughTheApiAtTheDestinationWithoutATagIndex() throws Exception {
        apiOrigin.paginate(1); // two referrers of the amd64 manifest: two pages, the second named by Link
        ModuleRun copied = kit.runYaml("""
                manifests: ["${api_origin}/app/buildx:1.0"]
                dest: "oci://${api_mirror}/${module.image.reference.repository}:${module.image.reference.reference}"
                referrers: true
                auths: [{registry: "${api_origin}", plain_http: true}, {registry: "${api_mirror}", plain_http: true}]
                """);
        assertEquals("success", copied.result().stdout(), copied.result().error());
        assertReferrers(copied, Map.of(sbom.root().digest().toString(), "referrers_api", bundle.digest().toString(), "referrers_api",
                signature.root().digest().toString(), "cosign_tag"));
        Map<String, Object> entry = referrers(copied).stream().filter(r -> r.get("digest").equals(sbom.root().digest().toString()))
                .findFirst().orElseThrow();
        assertEquals("referrers_api", entry.get("pushed"), "the destination answered OCI-Subject");
        assertEquals("application/spdx+json", entry.get("artifact_type"));
        assertEquals(Set.of(sbom.root().digest().toString(), bundle.digest().toString()),
                Set.copyOf(apiMirror.referrersOf("app/buildx", image.children().get(0).digest().toString())));
        assertEquals(404, status(apiMirrorBackend.baseUri(), "app/buildx", "sha256-" + image.children().get(0).digest().hex()),
                "a registry with the API gets no tag index");
        assertTrue(apiOrigin.listings().contains("app/buildx@" + image.children().get(0).digest()), "the source's API was asked");
    }

    /**
     * A copy of app/buildx:1.0 from the tag-schema origin into {@code namespace} of the mirror, its
     * {@code referrers: %s} to fill in.
     */
    private static String buildxCopy(String namespace) {
        return """
                manifests: ["${tag_origin}/app/buildx:1.0"]
                dest: "oci://${mirror}/%s/${module.image.reference.repository}:${module.image.reference.reference}"
                referrers: %%s
                auths: [{registry: "${tag_origin}", plain_http: true}, {registry: "${mirror}", plain_http: true}]
                """.formatted(namespace);
    }

    @Test
    void anImageAlreadyThereGetsItsNewReferrersAndCountsAsCopied() throws Exception {
        String copy = buildxCopy("later");
        assertEquals("success", kit.runYaml(copy.formatted("false")).result().stdout());
        ModuleRun later = kit.runYaml(copy.formatted("true"));
        assertEquals("success", later.result().stdout(), later.result().error());
        assertTrue(later.result().changed());
        assertEquals(1L, later.result().data().get("images_copied"), "the image was there; its referrers were written");
        assertTrue(referrers(later).stream().allMatch(r -> r.get("status").equals("copied")), referrers(later).toString());
        assertEquals(signature.root().digest(), Digest.sha256Of(raw(mirror.baseUri(), "later/app/buildx", signature.tag())));
    }

    @Test
    void aCheckRunForecastsTheReferrersARealRunCopiesAndWritesNone() throws Exception {
        String copy = buildxCopy("checked");
        assertEquals("success", kit.runYaml(copy.formatted("false")).result().stdout(), "the image is there, its referrers not");
        ModuleRun checked = kit.inCheckMode().runYaml(copy.formatted("true"));
        assertEquals("success", checked.result().stdout(), checked.result().error());
        assertTrue(checked.result().changed(), "a real run would copy the referrers");
        assertReferrers(checked, Map.of(sbom.root().digest().toString(), "tag_schema", signature.root().digest().toString(), "cosign_tag"));
        assertTrue(referrers(checked).stream().allMatch(r -> r.get("status").equals("copied")), referrers(checked).toString());
        assertEquals(404, status(mirror.baseUri(), "checked/app/buildx", signature.tag()), "the check run wrote no referrer");
        assertEquals(404, status(mirror.baseUri(), "checked/app/buildx", sbom.root().digest().toString()));

        ModuleRun real = kit.runYaml(copy.formatted("true"));
        assertEquals("success", real.result().stdout(), real.result().error());
        assertEquals(referrers(real).stream().map(r -> r.get("digest") + " " + r.get("pushed")).collect(Collectors.toSet()),
                referrers(checked).stream().map(r -> r.get("digest") + " " + r.get("pushed")).collect(Collectors.toSet()),
                "the forecast names what the real run copied, and how the destination holds it");

        ModuleRun again = kit.inCheckMode().runYaml(copy.formatted("true"));
        assertEquals("success", again.result().stdout(), again.result().error());
        assertFalse(again.result().changed(), "everything is there: a real run would change nothing");
        assertTrue(referrers(again).stream().allMatch(r -> r.get("status").equals("unchanged")), referrers(again).toString());
    }

    @Test
    void aCheckRunIntoARegistryWithTheApiForecastsThatItIndexesTheReferrers() throws Exception {
        ModuleRun checked = kit.inCheckMode().runYaml("""
                manifests: ["${api_origin}/app/buildx:1.0"]
                dest: "oci://${api_mirror}/checked/${module.image.reference.repository}:${module.image.reference.reference}"
                referrers: true
                auths: [{registry: "${api_origin}", plain_http: true}, {registry: "${api_mirror}", plain_http: true}]
                """);
        assertEquals("success", checked.result().stdout(), checked.result().error());
        Map<String, Object> entry = referrers(checked).stream().filter(r -> r.get("digest").equals(sbom.root().digest().toString()))
                .findFirst().orElseThrow();
        assertEquals("referrers_api", entry.get("pushed"));
        assertEquals("copied", entry.get("status"));
        assertEquals(List.of(), apiMirror.referrersOf("checked/app/buildx", image.children().get(0).digest().toString()));
    }

    @Test
    void aReferrerTheSourceCannotServeFailsTheImageSayingTheImageItselfWasCopied() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(tagOrigin.baseUri())) {
            proxy.on("GET", "/v2/app/buildx/manifests/" + sbom.root().digest()).always().respond(404,
                    Map.of("Content-Type", "application/json"), "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\"}]}");
            ModuleRun copied = kit.withVariable("proxy", proxy.hostPort()).runYaml("""
                    manifests: ["${proxy}/app/buildx:1.0"]
                    dest: "oci://${mirror}/faulty/${module.image.reference.repository}:${module.image.reference.reference}"
                    referrers: true
                    auths: [{registry: "${proxy}", plain_http: true}, {registry: "${mirror}", plain_http: true}]
                    """);
            assertEquals("failed", copied.result().stdout());
            String error = copied.result().error();
            assertTrue(error.contains("the image was copied, but not its referrer " + sbom.root().digest())
                    && error.contains("found by tag schema") && error.contains("run again"), error);
            assertArrayEqualsDigest(image.root().digest(), raw(mirror.baseUri(), "faulty/app/buildx", "1.0"));
        }
    }

    private static void assertArrayEqualsDigest(Digest expected, byte[] manifest) {
        assertEquals(expected, Digest.sha256Of(manifest));
    }

    @Test
    void withoutReferrersOnlyTheImageIsCopied() throws Exception {
        ModuleRun copied = kit.runYaml("""
                manifests: ["${tag_origin}/app/buildx:1.0"]
                dest: "oci://${mirror}/plain/${module.image.reference.repository}:${module.image.reference.reference}"
                auths: [{registry: "${tag_origin}", plain_http: true}, {registry: "${mirror}", plain_http: true}]
                """);
        assertEquals("success", copied.result().stdout(), copied.result().error());
        assertEquals(List.of(), referrers(copied));
        assertEquals(404, status(mirror.baseUri(), "plain/app/buildx", signature.tag()));
    }

    private static void assertReferrers(ModuleRun run, Map<String, String> foundBy) {
        List<Map<String, Object>> referrers = referrers(run);
        assertEquals(foundBy, referrers.stream().collect(Collectors.toMap(r -> (String) r.get("digest"), r -> (String) r.get("found"))),
                referrers.toString());
        assertEquals(Set.of(signature.tag(), ""), referrers.stream().map(r -> (String) r.get("tag")).collect(Collectors.toSet()));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> referrers(ModuleRun run) {
        List<Map<String, Object>> images = (List<Map<String, Object>>) run.registered().get("images");
        assertEquals(1, images.size(), images.toString());
        return (List<Map<String, Object>>) images.get(0).get("referrers");
    }

    private static byte[] raw(URI registry, String repository, String reference) throws Exception {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(registry + "/v2/" + repository + "/manifests/" + reference))
                .header("Accept", ACCEPT).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode(), repository + ":" + reference + " " + new String(response.body(), StandardCharsets.UTF_8));
        return response.body();
    }

    private static int status(URI registry, String repository, String reference) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(registry + "/v2/" + repository + "/manifests/" + reference))
                .header("Accept", ACCEPT).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
