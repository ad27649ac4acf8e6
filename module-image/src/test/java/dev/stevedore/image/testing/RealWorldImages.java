package dev.stevedore.image.testing;

import dev.stevedore.image.oci.Manifest;
import dev.stevedore.image.oci.MediaTypes;
import dev.stevedore.image.reference.Digest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.zip.GZIPOutputStream;

/**
 * Byte-exact copies of the shapes real registries serve, built here, one per shape: what BuildKit, Docker,
 * go-containerregistry (crane, cosign), oras and Helm write, with their field order and indentation
 * ({@link GoJson}). Layer contents are small gzip streams; the manifests, indexes and configs are what
 * matters. Each shape is in the repository it names; a foreign layer is not (it lives at its URL).
 */
public final class RealWorldImages {

    public static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";
    public static final String OCI_NONDISTRIBUTABLE = "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";
    public static final String DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    public static final String DOCKER_FOREIGN = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";
    public static final String HELM_CHART = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";
    public static final String IN_TOTO = "application/vnd.in-toto+json";
    public static final String COSIGN = "application/vnd.dev.cosign.simplesigning.v1+json";
    public static final String SPDX = "application/spdx+json";

    /**
     * One image as a registry holds it.
     *
     * @param children every manifest and nested index below {@code root}, each before the index referring to it
     * @param blobs    the blobs the image's repository holds
     * @param foreign  blobs the manifest names with {@code urls}, held only at those URLs
     */
    public record Shape(String name, String repository, String tag, Manifest root, List<Manifest> children,
                        Map<Digest, byte[]> blobs, Map<Digest, byte[]> foreign) {
        public String reference(String registry) {
            return registry + "/" + repository + ":" + tag;
        }
    }

    private final Random random = new Random(14);

    /**
     * @param foreignUrl the URL a foreign layer with this digest is downloaded from
     */
    public List<Shape> all(Function<Digest, String> foreignUrl) {
        Shape buildx = buildxWithAttestations();
        Digest signed = buildx.root().digest();
        return List.of(buildx, windowsWithForeignLayer(foreignUrl), nonDistributableLayer(foreignUrl), helmChart(),
                helmChartWithoutMediaType(), imageSpec10Index(), nestedIndex(), spdxArtifact(buildx.children().get(0)),
                cosignSignature(signed));
    }

    /** {@code docker buildx build --platform linux/amd64,linux/arm64 --provenance --sbom}: BuildKit indents by two spaces. */
    public Shape buildxWithAttestations() {
        Map<Digest, byte[]> blobs = new LinkedHashMap<>();
        List<Manifest> children = new ArrayList<>();
        List<Object> entries = new ArrayList<>();
        List<Object> attestations = new ArrayList<>();
        for (String arch : List.of("amd64", "arm64")) {
            byte[] layer = layer(blobs);
            byte[] config = blob(blobs, GoJson.compact(struct("architecture", arch, "config",
                    struct("Env", List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"), "WorkingDir", "/"),
                    "created", "2024-05-01T10:00:00Z", "history", List.of(struct("created", "2024-05-01T10:00:00Z",
                            "created_by", "COPY app / # buildkit", "comment", "buildkit.dockerfile.v0")),
                    "os", "linux", "rootfs", struct("type", "layers", "diff_ids", List.of(Digest.sha256Of(layer).toString())))));
            Manifest image = manifest(GoJson.indent(struct("schemaVersion", 2, "mediaType", MediaTypes.OCI_MANIFEST,
                    "config", oci(MediaTypes.OCI_CONFIG, config), "layers", List.of(oci(OCI_LAYER, layer))), "  "));
            children.add(image);
            entries.add(with(oci(MediaTypes.OCI_MANIFEST, image.bytes()), "platform", struct("architecture", arch, "os", "linux")));

            byte[] sbom = blob(blobs, "{\"_type\":\"https://in-toto.io/Statement/v0.1\",\"predicateType\":\"https://spdx.dev/Document\","
                    + "\"subject\":[{\"name\":\"pkg:docker/app@1.0?platform=linux%2F" + arch + "\"}],\"predicate\":{\"spdxVersion\":\"SPDX-2.3\"}}");
            byte[] provenance = blob(blobs, "{\"_type\":\"https://in-toto.io/Statement/v0.1\",\"predicateType\":\"https://slsa.dev/provenance/v0.2\","
                    + "\"predicate\":{\"builder\":{\"id\":\"\"},\"buildType\":\"https://mobyproject.org/buildkit@v1\"}}");
            byte[] attestationConfig = blob(blobs, GoJson.compact(struct("architecture", "unknown", "os", "unknown", "config", struct(),
                    "rootfs", struct("type", "layers", "diff_ids", List.of(Digest.sha256Of(sbom).toString(), Digest.sha256Of(provenance).toString())))));
            Manifest attestation = manifest(GoJson.indent(struct("schemaVersion", 2, "mediaType", MediaTypes.OCI_MANIFEST,
                    "config", oci(MediaTypes.OCI_CONFIG, attestationConfig), "layers", List.of(
                            with(oci(IN_TOTO, sbom), "annotations", sorted("in-toto.io/predicate-type", "https://spdx.dev/Document")),
                            with(oci(IN_TOTO, provenance), "annotations", sorted("in-toto.io/predicate-type", "https://slsa.dev/provenance/v0.2")))),
                    "  "));
            children.add(attestation);
            attestations.add(with(with(oci(MediaTypes.OCI_MANIFEST, attestation.bytes()), "annotations", sorted(
                    "vnd.docker.reference.digest", image.digest().toString(), "vnd.docker.reference.type", "attestation-manifest")),
                    "platform", struct("architecture", "unknown", "os", "unknown")));
        }
        entries.addAll(attestations);
        Manifest index = manifest(GoJson.indent(struct("schemaVersion", 2, "mediaType", MediaTypes.OCI_INDEX, "manifests", entries), "  "));
        return new Shape("buildx index with attestations", "app/buildx", "1.0", index, children, blobs, Map.of());
    }

    /** A Windows image as Docker pushes it: schema 2 indented by three spaces, the base layer foreign with its URL. */
    public Shape windowsWithForeignLayer(Function<Digest, String> foreignUrl) {
        Map<Digest, byte[]> blobs = new LinkedHashMap<>();
        Map<Digest, byte[]> foreign = new LinkedHashMap<>();
        byte[] base = layer(foreign);
        byte[] app = layer(blobs);
        byte[] config = blob(blobs, GoJson.compact(struct("architecture", "amd64", "config", struct("Cmd", List.of("c:\\windows\\system32\\cmd.exe")),
                "os", "windows", "os.version", "10.0.17763.5329", "rootfs", struct("type", "layers", "diff_ids",
                        List.of(Digest.sha256Of(base).toString(), Digest.sha256Of(app).toString())))));
        Manifest manifest = manifest(GoJson.indent(struct("schemaVersion", 2, "mediaType", MediaTypes.DOCKER_MANIFEST,
                "config", docker(MediaTypes.DOCKER_CONFIG, config),
                "layers", List.of(with(docker(DOCKER_FOREIGN, base), "urls", List.of(foreignUrl.apply(Digest.sha256Of(base)))),
                        docker(DOCKER_LAYER, app))), "   "));
        return new Shape("Windows image with a foreign layer", "windows/app", "ltsc2019", manifest, List.of(), blobs, foreign);
    }

    /** An OCI image with a non-distributable layer, as go-containerregistry writes it (compact; size before digest). */
    public Shape nonDistributableLayer(Function<Digest, String> foreignUrl) {
        Map<Digest, byte[]> blobs = new LinkedHashMap<>();
        Map<Digest, byte[]> foreign = new LinkedHashMap<>();
        byte[] restricted = layer(foreign);
        byte[] open = layer(blobs);
        byte[] config = blob(blobs, GoJson.compact(struct("architecture", "amd64", "created", "2024-05-01T10:00:00Z", "os", "linux",
                "rootfs", struct("type", "layers", "diff_ids", List.of(Digest.sha256Of(restricted).toString(), Digest.sha256Of(open).toString())),
                "config", struct())));
        Manifest manifest = manifest(GoJson.compact(struct("schemaVersion", 2, "mediaType", MediaTypes.OCI_MANIFEST,
                "config", ggcr(MediaTypes.OCI_CONFIG, config),
                "layers", List.of(with(ggcr(OCI_NONDISTRIBUTABLE, restricted), "urls", List.of(foreignUrl.apply(Digest.sha256Of(restricted)))),
                        ggcr(OCI_LAYER, open)))));
        return new Shape("image with a non-distributable layer", "vendor/nondist", "1.0", manifest, List.of(), blobs, foreign);
    }

    /** {@code helm push} from Helm 3.13 on (oras-go v2): the manifest names its mediaType. */
    public Shape helmChart() {
        return chart("Helm chart", "charts/mychart", true);
    }

    /** {@code helm push} from Helm 3.8 to 3.12 (oras-go v1): no top-level mediaType. */
    public Shape helmChartWithoutMediaType() {
        return chart("Helm chart without mediaType", "charts/oldchart", false);
    }

    private Shape chart(String name, String repository, boolean withMediaType) {
        Map<Digest, byte[]> blobs = new LinkedHashMap<>();
        String chartName = repository.substring(repository.indexOf('/') + 1);
        byte[] config = blob(blobs, GoJson.compact(struct("name", chartName, "version", "0.1.0", "description", "A Helm chart for Kubernetes",
                "apiVersion", "v2", "appVersion", "1.16.0", "type", "application")));
        byte[] content = layer(blobs);
        Map<String, Object> manifest = struct("schemaVersion", 2);
        if (withMediaType) {
            manifest.put("mediaType", MediaTypes.OCI_MANIFEST);
        }
        manifest.put("config", oci(MediaTypes.HELM_CONFIG, config));
        manifest.put("layers", List.of(oci(HELM_CHART, content)));
        manifest.put("annotations", sorted("org.opencontainers.image.created", "2024-05-01T10:00:00Z",
                "org.opencontainers.image.description", "A Helm chart for Kubernetes", "org.opencontainers.image.title", chartName,
                "org.opencontainers.image.version", "0.1.0"));
        return new Shape(name, repository, "0.1.0", manifest(GoJson.compact(manifest)), List.of(), blobs, Map.of());
    }

    /** An image-spec 1.0 index and manifests (umoci, early BuildKit): no top-level mediaType anywhere. */
    public Shape imageSpec10Index() {
        Map<Digest, byte[]> blobs = new LinkedHashMap<>();
        List<Manifest> children = new ArrayList<>();
        List<Object> entries = new ArrayList<>();
        for (String arch : List.of("amd64", "arm64")) {
            Manifest image = untypedImage(blobs, arch);
            children.add(image);
            entries.add(with(oci(MediaTypes.OCI_MANIFEST, image.bytes()), "platform", struct("architecture", arch, "os", "linux")));
        }
        Manifest index = manifest(GoJson.compact(struct("schemaVersion", 2, "manifests", entries)));
        return new Shape("image-spec 1.0 index", "legacy/spec10", "1.0", index, children, blobs, Map.of());
    }

    /** An index whose first entry is an index (no platform) of amd64 and arm64; its second is s390x. */
    public Shape nestedIndex() {
        Map<Digest, byte[]> blobs = new LinkedHashMap<>();
        List<Manifest> children = new ArrayList<>();
        List<Object> inner = new ArrayList<>();
        for (String arch : List.of("amd64", "arm64")) {
            Manifest image = typedImage(blobs, arch);
            children.add(image);
            inner.add(with(oci(MediaTypes.OCI_MANIFEST, image.bytes()), "platform", struct("architecture", arch, "os", "linux")));
        }
        Manifest nested = manifest(GoJson.compact(struct("schemaVersion", 2, "mediaType", MediaTypes.OCI_INDEX, "manifests", inner)));
        children.add(nested);
        Manifest s390x = typedImage(blobs, "s390x");
        children.add(s390x);
        Manifest root = manifest(GoJson.compact(struct("schemaVersion", 2, "mediaType", MediaTypes.OCI_INDEX, "manifests", List.of(
                oci(MediaTypes.OCI_INDEX, nested.bytes()),
                with(oci(MediaTypes.OCI_MANIFEST, s390x.bytes()), "platform", struct("architecture", "s390x", "os", "linux"))))));
        return new Shape("nested index", "app/nested", "1.0", root, children, blobs, Map.of());
    }

    /** {@code oras attach --artifact-type application/spdx+json}: image-spec 1.1, the empty config, a subject. */
    public Shape spdxArtifact(Manifest subject) {
        Map<Digest, byte[]> blobs = new LinkedHashMap<>();
        byte[] empty = blob(blobs, "{}");
        byte[] document = blob(blobs, "{\"spdxVersion\":\"SPDX-2.3\",\"name\":\"app\",\"packages\":[]}");
        Manifest manifest = manifest(GoJson.compact(struct("schemaVersion", 2, "mediaType", MediaTypes.OCI_MANIFEST,
                "artifactType", SPDX, "config", with(oci(MediaTypes.EMPTY_CONFIG, empty), "data", "e30="),
                "layers", List.of(with(oci(SPDX, document), "annotations", sorted("org.opencontainers.image.title", "sbom.spdx.json"))),
                "subject", oci(subject.mediaType(), subject.bytes()),
                "annotations", sorted("org.opencontainers.image.created", "2024-05-01T10:00:00Z"))));
        return new Shape("SPDX artifact", "app/buildx", "1.0.sbom", manifest, List.of(), blobs, Map.of());
    }

    /** {@code cosign sign}: a go-containerregistry image whose config declares no platform, tagged {@code sha256-<hex>.sig}. */
    public Shape cosignSignature(Digest signed) {
        Map<Digest, byte[]> blobs = new LinkedHashMap<>();
        byte[] payload = blob(blobs, GoJson.compact(struct("critical", struct("identity", struct("docker-reference", "registry.example.com/app/buildx"),
                "image", struct("docker-manifest-digest", signed.toString()), "type", "cosign container image signature"), "optional", null)));
        byte[] config = blob(blobs, GoJson.compact(struct("architecture", "", "created", "0001-01-01T00:00:00Z",
                "history", List.of(struct("created", "0001-01-01T00:00:00Z")), "os", "",
                "rootfs", struct("type", "layers", "diff_ids", List.of(Digest.sha256Of(payload).toString())), "config", struct())));
        Manifest manifest = manifest(GoJson.compact(struct("schemaVersion", 2, "mediaType", MediaTypes.OCI_MANIFEST,
                "config", ggcr(MediaTypes.OCI_CONFIG, config), "layers", List.of(with(ggcr(COSIGN, payload), "annotations",
                        sorted("dev.cosignproject.cosign/signature", "MEUCIQDx1mZ8mM3Y0d3NhbXBsZSBzaWduYXR1cmU9PQIgZXhhbXBsZQ=="))))));
        return new Shape("cosign signature", "app/buildx", "sha256-" + signed.hex() + ".sig", manifest, List.of(), blobs, Map.of());
    }

    private Manifest untypedImage(Map<Digest, byte[]> blobs, String arch) {
        byte[] layer = layer(blobs);
        byte[] config = blob(blobs, GoJson.compact(struct("architecture", arch, "os", "linux",
                "rootfs", struct("type", "layers", "diff_ids", List.of(Digest.sha256Of(layer).toString())))));
        return manifest(GoJson.compact(struct("schemaVersion", 2, "config", oci(MediaTypes.OCI_CONFIG, config),
                "layers", List.of(oci(OCI_LAYER, layer)))));
    }

    private Manifest typedImage(Map<Digest, byte[]> blobs, String arch) {
        byte[] layer = layer(blobs);
        byte[] config = blob(blobs, GoJson.compact(struct("architecture", arch, "os", "linux",
                "rootfs", struct("type", "layers", "diff_ids", List.of(Digest.sha256Of(layer).toString())))));
        return manifest(GoJson.compact(struct("schemaVersion", 2, "mediaType", MediaTypes.OCI_MANIFEST,
                "config", oci(MediaTypes.OCI_CONFIG, config), "layers", List.of(oci(OCI_LAYER, layer)))));
    }

    /** The manifest from its bytes; its type detected as a registry would (for documents without mediaType). */
    private static Manifest manifest(String json) {
        return Manifest.of(json.getBytes(StandardCharsets.UTF_8), null);
    }

    /** A small gzip stream of pseudo-random bytes, as a layer would be. */
    private byte[] layer(Map<Digest, byte[]> into) {
        byte[] content = new byte[2048 + random.nextInt(2048)];
        random.nextBytes(content);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] bytes = out.toByteArray();
        into.put(Digest.sha256Of(bytes), bytes);
        return bytes;
    }

    private static byte[] blob(Map<Digest, byte[]> into, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        into.put(Digest.sha256Of(bytes), bytes);
        return bytes;
    }

    /** An image-spec descriptor (containerd, BuildKit, oras): mediaType, digest, size. */
    private static Map<String, Object> oci(String mediaType, byte[] content) {
        return struct("mediaType", mediaType, "digest", Digest.sha256Of(content).toString(), "size", content.length);
    }

    /** Docker distribution's descriptor: mediaType, size, digest. */
    private static Map<String, Object> docker(String mediaType, byte[] content) {
        return struct("mediaType", mediaType, "size", content.length, "digest", Digest.sha256Of(content).toString());
    }

    /** go-containerregistry's descriptor: the same order as Docker's. */
    private static Map<String, Object> ggcr(String mediaType, byte[] content) {
        return docker(mediaType, content);
    }

    private static Map<String, Object> with(Map<String, Object> struct, String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(struct);
        copy.put(key, value);
        return copy;
    }

    /** A Go struct: fields in the order given. */
    private static Map<String, Object> struct(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    /** A Go map: keys sorted. */
    private static Map<String, Object> sorted(Object... keysAndValues) {
        return new TreeMap<>(struct(keysAndValues));
    }
}
