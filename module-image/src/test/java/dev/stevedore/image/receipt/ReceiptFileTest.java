package dev.stevedore.image.receipt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stevedore.image.error.ImageException;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.store.KubeKeyLayoutStore;
import dev.stevedore.image.target.RootFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The receipt's JSON file and the delta marker: what is written reads back, and what cannot be trusted is refused by name. */
class ReceiptFileTest {

    private static final Digest CONFIG = Digest.sha256Of("config".getBytes(StandardCharsets.UTF_8));
    private static final Digest BASE = Digest.sha256Of("base".getBytes(StandardCharsets.UTF_8));
    private static final Digest APP = Digest.sha256Of("app".getBytes(StandardCharsets.UTF_8));
    private static final Digest INDEX = Digest.sha256Of("index".getBytes(StandardCharsets.UTF_8));

    @TempDir
    Path work;

    @Test
    void aWrittenReceiptReadsBackWithTheUnionAtTheTopLevel() throws Exception {
        Receipt receipt = Receipt.of("2026-12-01T13:30:00Z", "oci://registry.site:5000", List.of(
                new ReceiptImage(ImageReference.parse("registry.site:5000/library/hello:1.0"), INDEX, Set.of(INDEX), Set.of(CONFIG, BASE)),
                new ReceiptImage(ImageReference.parse("registry.site:5000/tools/app:2"), APP, Set.of(APP), Set.of(BASE, APP))));
        Path file = work.resolve("nested/receipt.json");
        ReceiptFile.write(file, receipt);
        Receipt read = ReceiptFile.read(file);
        assertEquals(receipt.images(), read.images());
        assertEquals(Set.of(CONFIG, BASE, APP), read.blobs());
        assertEquals(List.of("library/hello", "tools/app"), read.repositoriesHolding(BASE));
        String text = Files.readString(file);
        assertTrue(text.contains("\"receipt_version\" : 1") && text.contains("\"blobs\" : [ \"" + APP + "\""), text);
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (Stream<Path> left = Files.list(file.getParent())) {
            assertEquals(List.of(file), left.toList(), "no temporary file is left beside it");
        }
    }

    @Test
    void aHandWrittenReceiptMayListOnlyDigests() throws Exception {
        Path file = work.resolve("r.json");
        Files.writeString(file, "{\"receipt_version\": 1, \"blobs\": [\"" + BASE + "\"], \"manifests\": [\"" + INDEX + "\"]}");
        Receipt read = ReceiptFile.read(file);
        assertEquals(Set.of(BASE), read.blobs());
        assertEquals(Set.of(INDEX), read.manifests());
        assertEquals(List.of(), read.repositoriesHolding(BASE));
    }

    @Test
    void anotherVersionAMissingFileAndABadDigestAreRefusedNamingTheFile() throws Exception {
        Path file = work.resolve("r.json");
        Files.writeString(file, "{\"receipt_version\": 2, \"blobs\": []}");
        String version = assertThrows(ImageException.class, () -> ReceiptFile.read(file)).getMessage();
        assertTrue(version.contains(file.toString()) && version.contains("receipt_version is 2") && version.contains("version 1"), version);
        String missing = assertThrows(ImageException.class, () -> ReceiptFile.read(work.resolve("none.json"))).getMessage();
        assertTrue(missing.contains("does not exist") && missing.contains("stevedore receipt"), missing);
        Files.writeString(file, "{\"receipt_version\": 1, \"blobs\": [\"sha256:abc\"]}");
        String digest = assertThrows(ImageException.class, () -> ReceiptFile.read(file)).getMessage();
        assertTrue(digest.contains("blobs[0] 'sha256:abc' is not a digest"), digest);
        Files.writeString(file, "{\"blobs\": []}");
        assertTrue(assertThrows(ImageException.class, () -> ReceiptFile.read(file)).getMessage().contains("not a Stevedore receipt"));
        Files.writeString(file, "not json");
        assertTrue(assertThrows(ImageException.class, () -> ReceiptFile.read(file)).getMessage().contains("is not JSON"));
    }

    @Test
    void aSecondDeltaPullIntoTheSameDirectoryAddsToItsMarker() throws Exception {
        RootFiles bundle = KubeKeyLayoutStore.open(work).rootFiles().orElseThrow();
        new DeltaMarker("oci://a", "t1", Map.of(BASE, List.of("library/hello"))).writeInto(bundle, "the bundle");
        new DeltaMarker("oci://a", "t2", Map.of(BASE, List.of("tools/app"), APP, List.of("tools/app"))).writeInto(bundle, "the bundle");
        DeltaMarker marker = DeltaMarker.read(bundle, "the bundle").orElseThrow();
        assertEquals(List.of("library/hello", "tools/app"), marker.repositoriesHolding(BASE));
        assertTrue(marker.excludes(APP));
        assertEquals("t2", marker.receiptCreated());
        assertTrue(DeltaMarker.read(KubeKeyLayoutStore.open(work.resolve("elsewhere")).rootFiles().orElseThrow(), "elsewhere").isEmpty(),
                "a directory without the file is no delta");
        assertTrue(!Files.readString(work.resolve(DeltaMarker.FILE_NAME)).contains("mediaType"),
                "the listing of KubeKey's original takes a JSON file with a mediaType for a manifest");
    }
}
