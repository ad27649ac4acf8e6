package dev.stevedore.image.testing;

import dev.stevedore.image.oci.Manifest;
import dev.stevedore.image.oci.MediaTypes;
import dev.stevedore.image.reference.Digest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small, real OCI images built in memory: blobs, manifests and indexes with correct digests. */
public final class TestImages {

    /** An image: its root (manifest or index), the child manifests of an index, and every blob by digest. */
    public record TestImage(Manifest root, List<Manifest> children, Map<Digest, byte[]> blobs) { }

    private TestImages() {
    }

    public static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A single-platform OCI image with the given layers (their content as text). */
    public static TestImage single(String platform, String... layers) {
        Map<Digest, byte[]> blobs = new LinkedHashMap<>();
        String[] p = platform.split("/");
        byte[] config = bytes("{\"architecture\":\"" + p[1] + "\",\"os\":\"" + p[0] + "\""
                + (p.length > 2 ? ",\"variant\":\"" + p[2] + "\"" : "") + ",\"comment\":\"" + String.join(" ", layers)
                + "\",\"rootfs\":{\"type\":\"layers\"}}");
        blobs.put(Digest.sha256Of(config), config);
        StringBuilder layerJson = new StringBuilder();
        for (String layer : layers) {
            byte[] content = bytes(layer);
            blobs.put(Digest.sha256Of(content), content);
            if (layerJson.length() > 0) {
                layerJson.append(',');
            }
            layerJson.append(descriptor("application/vnd.oci.image.layer.v1.tar+gzip", content, null));
        }
        String json = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":"
                + descriptor(MediaTypes.OCI_CONFIG, config, null) + ",\"layers\":[" + layerJson + "]}";
        return new TestImage(Manifest.of(bytes(json), MediaTypes.OCI_MANIFEST), List.of(), blobs);
    }

    /** A multi-platform OCI index over the given single-platform images (with an annotation to keep). */
    public static TestImage index(Map<String, TestImage> byPlatform) {
        Map<Digest, byte[]> blobs = new LinkedHashMap<>();
        List<Manifest> children = new ArrayList<>();
        StringBuilder entries = new StringBuilder();
        byPlatform.forEach((platform, image) -> {
            children.add(image.root());
            blobs.putAll(image.blobs());
            if (entries.length() > 0) {
                entries.append(',');
            }
            entries.append(descriptor(MediaTypes.OCI_MANIFEST, image.root().bytes(), platform));
        });
        String json = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[" + entries
                + "],\"annotations\":{\"org.opencontainers.image.source\":\"test\"}}";
        return new TestImage(Manifest.of(bytes(json), MediaTypes.OCI_INDEX), children, blobs);
    }

    private static String descriptor(String mediaType, byte[] content, String platform) {
        String json = "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + Digest.sha256Of(content) + "\",\"size\":" + content.length;
        if (platform != null) {
            String[] p = platform.split("/");
            json += ",\"platform\":{\"architecture\":\"" + p[1] + "\",\"os\":\"" + p[0] + "\""
                    + (p.length > 2 ? ",\"variant\":\"" + p[2] + "\"" : "") + "}";
        }
        return json + "}";
    }
}
