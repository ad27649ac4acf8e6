package dev.stevedore.image.args;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.image.registry.PushOptions;
import dev.stevedore.image.testing.FakeTemplates;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code chunk_size} and {@code create_project}: read in both forms where a task pushes, refused where it cannot. */
class PushArgsTest {

    private static final String DEST = "reg.example.com/${module.image.src.reference.repository}:${module.image.src.reference.reference}";

    private static List<CopyTask> parse(Map<String, Object> args) {
        return ImageTaskArgs.parse(args, new FakeTemplates(), Map.of("chunk", "8MiB"));
    }

    private static String error(Map<String, Object> args) {
        return assertThrows(ArgumentException.class, () -> parse(args)).getMessage();
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    @Test
    void withoutEitherArgumentBlobsGoInOneRequestAndNoProjectIsCreated() {
        assertEquals(PushOptions.defaults(), parse(map("push", map("images_dir", "/i", "dest", DEST))).get(0).targets().push());
        assertEquals(PushOptions.defaults(), parse(map("manifests", List.of("nginx"), "dest", "oci://reg.example.com/x:1")).get(0).targets().push());
    }

    @Test
    void theClassicPushReadsBoth() {
        CopyTask push = parse(map("push", map("images_dir", "/i", "dest", DEST, "chunk_size", "5MiB", "create_project", true))).get(0);
        assertEquals(new PushOptions(5L << 20, true), push.targets().push());
    }

    @Test
    void theNewerFormReadsBothAndRendersTheSize() {
        CopyTask copy = parse(map("manifests", List.of("nginx"), "dest", "oci://reg.example.com/x:1",
                "chunk_size", "${chunk}", "create_project", "yes")).get(0);
        assertEquals(new PushOptions(8L << 20, true), copy.targets().push());
    }

    @Test
    void aYamlNumberIsBytes() {
        CopyTask copy = parse(map("manifests", List.of("nginx"), "dest", "oci://reg.example.com/x:1", "chunk_size", 1048576)).get(0);
        assertEquals(1L << 20, copy.targets().push().chunkSize());
    }

    @Test
    void aSizeWithoutAUnitBelowTheSmallestChunkIsTakenForTheTypoItIs() {
        assertEquals("image.chunk_size is 5 bytes, below the smallest size of 64KiB; a number without a unit is bytes: write 5MiB"
                + " for five mebibytes", error(map("manifests", List.of("nginx"), "dest", "oci://r.example.com/x:1", "chunk_size", 5)));
    }

    @Test
    void anUnreadableSizeNamesTheKey() {
        assertEquals("push.chunk_size: 'lots' is not a size: write a number of bytes, or a number with a unit such as 512KiB, 5MiB,"
                + " 5M or 1GB", error(map("push", map("images_dir", "/i", "dest", DEST, "chunk_size", "lots"))));
        assertEquals("image.chunk_size must be a size of at least 64KiB, such as 5MiB, got a list",
                error(map("manifests", List.of("nginx"), "dest", "oci://r.example.com/x:1", "chunk_size", List.of(1))));
    }

    @Test
    void aPullHasNeither() {
        String message = error(map("pull", map("manifests", List.of("nginx"), "images_dir", "/i", "create_project", true)));
        assertTrue(message.startsWith("unknown key 'create_project' in pull; valid keys are: auths, concurrency,"), message);
        assertFalse(message.contains("chunk_size") || message.contains("create_project,"), message);
    }
}
