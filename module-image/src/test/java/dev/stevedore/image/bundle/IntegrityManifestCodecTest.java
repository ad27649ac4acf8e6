package dev.stevedore.image.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.stevedore.image.bundle.IntegrityManifest.Blob;
import dev.stevedore.image.bundle.IntegrityManifest.Image;
import dev.stevedore.image.bundle.IntegrityManifest.Part;
import dev.stevedore.image.reference.Digest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The integrity manifest's one format: field order, sorting, round trip, and strict reading. */
class IntegrityManifestCodecTest {

    private static final Digest A = Digest.sha256Of("a".getBytes(StandardCharsets.UTF_8));
    private static final Digest B = Digest.sha256Of("b".getBytes(StandardCharsets.UTF_8));

    private static final IntegrityManifest MANIFEST = new IntegrityManifest("1.2.3",
            List.of(new Blob(B, 1), new Blob(A, 1)),
            List.of(new Image("reg.example/z:1", A, "application/vnd.oci.image.manifest.v1+json", List.of("linux/amd64"), List.of(B)),
                    new Image("reg.example/a:1", B, "application/vnd.oci.image.index.v1+json",
                            List.of("linux/arm64/v8", "linux/amd64"), List.of(B, A, B))),
            List.of(new Part("bundle.tar.part-0001", 10, A.hex())));

    @Test
    void writesOneStableDocumentWithSortedLists() {
        String text = IntegrityManifestCodec.toText(MANIFEST);
        assertEquals("""
                {
                  "mediaType": "application/vnd.stevedore.bundle.v1+json",
                  "schemaVersion": 1,
                  "tool": {
                    "name": "stevedore",
                    "version": "1.2.3"
                  },
                  "blobs": [
                    {
                      "digest": "%1$s",
                      "size": 1
                    },
                    {
                      "digest": "%2$s",
                      "size": 1
                    }
                  ],
                  "images": [
                    {
                      "name": "reg.example/a:1",
                      "digest": "%1$s",
                      "mediaType": "application/vnd.oci.image.index.v1+json",
                      "platforms": [
                        "linux/amd64",
                        "linux/arm64/v8"
                      ],
                      "references": [
                        "%1$s",
                        "%2$s"
                      ]
                    },
                    {
                      "name": "reg.example/z:1",
                      "digest": "%2$s",
                      "mediaType": "application/vnd.oci.image.manifest.v1+json",
                      "platforms": [
                        "linux/amd64"
                      ],
                      "references": [
                        "%1$s"
                      ]
                    }
                  ],
                  "parts": [
                    {
                      "name": "bundle.tar.part-0001",
                      "size": 10,
                      "sha256": "%3$s"
                    }
                  ]
                }
                """.formatted(B, A, A.hex()), text); // B's digest sorts before A's
    }

    @Test
    void readsWhatItWrote() throws Exception {
        byte[] bytes = IntegrityManifestCodec.write(MANIFEST);
        IntegrityManifest read = IntegrityManifestCodec.read(bytes);
        assertEquals(MANIFEST, read);
        assertArrayEquals(bytes, IntegrityManifestCodec.write(read));
    }

    @Test
    void refusesAnotherTypeANewerSchemaAndAMistypedField() {
        assertEquals("its mediaType is 'application/vnd.oci.image.index.v1+json', expected application/vnd.stevedore.bundle.v1+json",
                refused("{\"mediaType\": \"application/vnd.oci.image.index.v1+json\", \"schemaVersion\": 2, \"manifests\": []}"));
        assertEquals("schemaVersion 2 is not one this version reads (1 to 1): use a newer Stevedore",
                refused(IntegrityManifestCodec.toText(MANIFEST).replace("\"schemaVersion\": 1", "\"schemaVersion\": 2")));
        assertEquals("blobs[].size is missing or not a non-negative whole number",
                refused(IntegrityManifestCodec.toText(MANIFEST).replaceFirst("\"size\": 1", "\"size\": \"1\"")));
        assertEquals("it is not a JSON object", refused("[]"));
    }

    private static String refused(String json) {
        return assertThrows(InvalidIntegrityManifestException.class,
                () -> IntegrityManifestCodec.read(json.getBytes(StandardCharsets.UTF_8))).getMessage();
    }
}
