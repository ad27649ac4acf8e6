package dev.stevedore.image.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Checks a KubeKey images directory the way a later push (or KubeKey itself) would trust it: every
 * {@code blobs/sha256:<hex>} file hashes to its name, every manifest file parses, hashes to its name when
 * it is named by digest, and everything it refers to (blobs, child manifests) is there with the right
 * size. Temporary files ({@code .tmp-*}) are not final names: they are listed apart, never checked.
 */
final class ImagesDirectoryChecker {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TEMP_PREFIX = ".tmp-";

    /** What one check found; {@link #problems()} empty means consistent. */
    record Report(List<String> problems, List<Path> temporaryFiles, int blobs, int manifests) {
        boolean consistent() {
            return problems.isEmpty();
        }

        @Override
        public String toString() {
            return blobs + " blobs, " + manifests + " manifests, " + temporaryFiles.size() + " temporary files, problems: " + problems;
        }
    }

    private ImagesDirectoryChecker() {
    }

    static Report check(Path imagesDir) throws IOException {
        List<String> problems = new ArrayList<>();
        List<Path> temporary = new ArrayList<>();
        int blobs = checkBlobs(imagesDir.resolve("blobs"), problems, temporary);
        int manifests = 0;
        if (Files.isDirectory(imagesDir)) {
            try (Stream<Path> files = Files.walk(imagesDir)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    if (file.startsWith(imagesDir.resolve("blobs"))) {
                        continue;
                    }
                    if (isTemporary(file)) {
                        temporary.add(file);
                    } else if (file.getParent().getFileName().toString().equals("manifests") && !file.getFileName().toString().equals("layout")) {
                        manifests++;
                        checkManifest(imagesDir, file, problems);
                    }
                }
            }
        }
        return new Report(List.copyOf(problems), List.copyOf(temporary), blobs, manifests);
    }

    private static int checkBlobs(Path blobsDir, List<String> problems, List<Path> temporary) throws IOException {
        if (!Files.isDirectory(blobsDir)) {
            return 0;
        }
        int count = 0;
        try (Stream<Path> files = Files.list(blobsDir)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (isTemporary(file)) {
                    temporary.add(file);
                    continue;
                }
                count++;
                if (!name.matches("sha256:[0-9a-f]{64}")) {
                    problems.add("unexpected file in blobs/: " + name);
                } else if (!sha256(file).equals(name)) {
                    problems.add("blob " + name + " hashes to " + sha256(file) + " (" + Files.size(file) + " bytes)");
                }
            }
        }
        return count;
    }

    private static void checkManifest(Path imagesDir, Path file, List<String> problems) throws IOException {
        String name = file.getFileName().toString();
        if (name.startsWith("sha256:") && !sha256(file).equals(name)) {
            problems.add("manifest " + imagesDir.relativize(file) + " hashes to " + sha256(file));
            return;
        }
        JsonNode json;
        try {
            json = JSON.readTree(file.toFile());
        } catch (IOException e) {
            problems.add("manifest " + imagesDir.relativize(file) + " does not parse: " + e.getMessage());
            return;
        }
        if (json == null || !json.isObject()) {
            problems.add("manifest " + imagesDir.relativize(file) + " is not a JSON object");
            return;
        }
        if (json.has("manifests")) {
            for (JsonNode child : json.get("manifests")) {
                Path childFile = file.resolveSibling(child.path("digest").asText());
                requireFile(imagesDir, childFile, child.path("size").asLong(), "child manifest of " + imagesDir.relativize(file), problems);
            }
            return;
        }
        if (!json.has("config") || !json.has("layers")) {
            problems.add("manifest " + imagesDir.relativize(file) + " is neither an index nor an image manifest");
            return;
        }
        List<JsonNode> blobs = new ArrayList<>();
        blobs.add(json.get("config"));
        json.get("layers").forEach(blobs::add);
        for (JsonNode blob : blobs) {
            Path blobFile = imagesDir.resolve("blobs").resolve(blob.path("digest").asText());
            requireFile(imagesDir, blobFile, blob.path("size").asLong(), "blob of " + imagesDir.relativize(file), problems);
        }
    }

    private static void requireFile(Path imagesDir, Path file, long size, String what, List<String> problems) throws IOException {
        if (!Files.isRegularFile(file)) {
            problems.add(what + " is missing: " + imagesDir.relativize(file));
        } else if (Files.size(file) != size) {
            problems.add(what + " " + imagesDir.relativize(file) + " has " + Files.size(file) + " bytes, expected " + size);
        }
    }

    private static boolean isTemporary(Path file) {
        return file.getFileName().toString().startsWith(TEMP_PREFIX);
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[256 * 1024];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                digest.update(buffer, 0, n);
            }
            return "sha256:" + HexFormat.of().formatHex(digest.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
