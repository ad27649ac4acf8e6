package dev.stevedore.image.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.oci.MediaTypes;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.ImageReference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciIndexFileTest {

    @TempDir
    Path dir;

    private static Descriptor manifest(String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        return new Descriptor(MediaTypes.OCI_MANIFEST, Digest.sha256Of(bytes), bytes.length);
    }

    private static String entry(String name, Descriptor descriptor) {
        return "{\"mediaType\":\"" + descriptor.mediaType() + "\",\"digest\":\"" + descriptor.digest() + "\",\"size\":"
                + descriptor.size() + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"" + name + "\"}}";
    }

    @Test
    void aBatchReplacesEveryOtherSpellingOfItsNamesInOnePassAndKeepsTheRest() throws IOException {
        Descriptor old = manifest("old");
        Descriptor other = manifest("other");
        Descriptor pinned = manifest("pinned");
        Path file = dir.resolve("index.json");
        Files.writeString(file, "{\"schemaVersion\":2,\"manifests\":[" + entry("docker.io/library/nginx:latest", old) + ","
                + entry("example.com/other:v1", other) + "," + entry("nginx@" + pinned.digest(), pinned) + ","
                + entry("latest", old) + "]}");
        OciIndexFile index = OciIndexFile.read(file);

        Descriptor nginx = manifest("nginx");
        Descriptor app = manifest("app");
        Map<ImageReference, Descriptor> batch = new LinkedHashMap<>();
        batch.put(ImageReference.parse("nginx:latest"), nginx);
        batch.put(ImageReference.parse("example.com/app:v1"), app);
        batch.put(ImageReference.parse("docker.io/library/nginx@" + pinned.digest()), pinned);
        index.putAll(batch);
        Files.write(file, index.bytes());

        List<OciIndexFile.Entry> entries = OciIndexFile.read(file).entries();
        assertEquals(List.of(
                new OciIndexFile.Entry(ImageReference.parse("example.com/other:v1"), other),
                new OciIndexFile.Entry(ImageReference.parse("nginx:latest"), nginx),
                new OciIndexFile.Entry(ImageReference.parse("example.com/app:v1"), app),
                new OciIndexFile.Entry(ImageReference.parse("nginx@" + pinned.digest()), pinned)), entries);
        String text = Files.readString(file);
        assertEquals(1, text.split("\"latest\"", -1).length - 1, "a bare tag names no image and is kept as it was: " + text);
    }
}
