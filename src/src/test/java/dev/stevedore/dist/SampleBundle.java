package dev.stevedore.dist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * A KubeKey images directory written byte for byte as the original lays it out ({@code blobs/sha256:<hex>}
 * and {@code <registry>/<repository>/manifests/<tag>}): {@code count} single-platform OCI images
 * {@code demo.local/library/image-NN:1.0}, each a config and one random layer of {@code layerBytes}.
 */
final class SampleBundle {

    private SampleBundle() {
    }

    /** Writes the images; returns their repositories ({@code library/image-00}, ...). */
    static List<String> write(Path imagesDir, int count, int layerBytes) throws IOException {
        Random random = new Random(20_240_601);
        List<String> repositories = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] layer = new byte[layerBytes];
            random.nextBytes(layer);
            String layerDigest = blob(imagesDir, layer);
            byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                    + layerDigest + "\"]}}").getBytes(StandardCharsets.UTF_8);
            String configDigest = blob(imagesDir, config);
            String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                    + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest
                    + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
                    + "\"digest\":\"" + layerDigest + "\",\"size\":" + layer.length + "}]}";
            String repository = String.format("library/image-%02d", i);
            Path tag = imagesDir.resolve("demo.local").resolve(repository).resolve("manifests/1.0");
            Files.createDirectories(tag.getParent());
            Files.writeString(tag, manifest);
            repositories.add(repository);
        }
        return repositories;
    }

    private static String blob(Path imagesDir, byte[] content) throws IOException {
        String digest = "sha256:" + sha256(content);
        Path file = imagesDir.resolve("blobs").resolve(digest);
        Files.createDirectories(file.getParent());
        Files.write(file, content);
        return digest;
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
