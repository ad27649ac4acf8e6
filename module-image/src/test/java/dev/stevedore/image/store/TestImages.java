package dev.stevedore.image.store;

import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.oci.Manifest;
import dev.stevedore.image.oci.MediaTypes;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.target.ImageTarget;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Hand-made images for store tests: random layer bytes, a config, manifests and indexes as registries serve them. */
final class TestImages {

    static final String LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";

    private final Random random;

    TestImages(long seed) {
        this.random = new Random(seed);
    }

    /** An image: its root (a manifest or an index), the child manifests of an index, and every blob. */
    record TestImage(Manifest root, List<Manifest> children, Map<Digest, byte[]> blobs) {

        /** Writes it as the copier does: blobs, children, then the root by tag, or by digest for a digest reference. */
        void writeTo(ImageTarget target, ImageReference reference) throws IOException {
            for (Map.Entry<Digest, byte[]> blob : blobs.entrySet()) {
                target.writeBlob(reference, new Descriptor("application/octet-stream", blob.getKey(), blob.getValue().length),
                        new ByteArrayInputStream(blob.getValue()));
            }
            for (Manifest child : children) {
                target.writeManifest(reference, child);
            }
            if (reference.tag() != null) {
                target.tag(reference, root);
            } else {
                target.writeManifest(reference, root);
            }
        }
    }

    byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    /** A single-platform OCI image with {@code layers} random layers. */
    TestImage image(String architecture, int layers) {
        return image(MediaTypes.OCI_MANIFEST, architecture, layers);
    }

    TestImage image(String manifestType, String architecture, int layers) {
        Map<Digest, byte[]> blobs = new LinkedHashMap<>();
        byte[] config = ("{\"architecture\":\"" + architecture + "\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},\"nonce\":"
                + random.nextLong() + "}").getBytes(StandardCharsets.UTF_8);
        blobs.put(Digest.sha256Of(config), config);
        List<String> layerJson = new ArrayList<>();
        boolean docker = MediaTypes.DOCKER_MANIFEST.equals(manifestType);
        for (int i = 0; i < layers; i++) {
            byte[] layer = gzip(randomBytes(1000 + random.nextInt(200_000)));
            blobs.put(Digest.sha256Of(layer), layer);
            layerJson.add(descriptorJson(docker ? "application/vnd.docker.image.rootfs.diff.tar.gzip" : LAYER, layer));
        }
        String json = "{\"schemaVersion\":2,\"mediaType\":\"" + manifestType + "\",\"config\":"
                + descriptorJson(docker ? MediaTypes.DOCKER_CONFIG : MediaTypes.OCI_CONFIG, config)
                + ",\"layers\":[" + String.join(",", layerJson) + "]}";
        return new TestImage(Manifest.of(json.getBytes(StandardCharsets.UTF_8), manifestType), List.of(), blobs);
    }

    /** A multi-platform OCI index over one image per architecture. */
    TestImage index(String... architectures) {
        Map<Digest, byte[]> blobs = new LinkedHashMap<>();
        List<Manifest> children = new ArrayList<>();
        List<String> entries = new ArrayList<>();
        for (String architecture : architectures) {
            TestImage child = image(architecture, 2);
            blobs.putAll(child.blobs());
            children.add(child.root());
            entries.add("{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + child.root().digest() + "\",\"size\":"
                    + child.root().size() + ",\"platform\":{\"architecture\":\"" + architecture + "\",\"os\":\"linux\"}}");
        }
        String json = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":["
                + String.join(",", entries) + "]}";
        return new TestImage(Manifest.of(json.getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_INDEX), children, blobs);
    }

    /** Layers are real gzip streams, as their media type says, so skopeo copies them without recompressing. */
    private static byte[] gzip(byte[] content) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream zip = new java.util.zip.GZIPOutputStream(out)) {
            zip.write(content);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static Descriptor blobDescriptor(byte[] content) {
        return new Descriptor(LAYER, Digest.sha256Of(content), content.length);
    }

    static InputStream stream(byte[] content) {
        return new ByteArrayInputStream(content);
    }

    private static String descriptorJson(String mediaType, byte[] content) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + Digest.sha256Of(content) + "\",\"size\":" + content.length + "}";
    }
}
