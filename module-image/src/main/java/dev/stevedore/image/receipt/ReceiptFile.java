package dev.stevedore.image.receipt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.image.error.ImageException;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.reference.ImageReference;
import dev.stevedore.image.reference.InvalidReferenceException;
import dev.stevedore.image.store.StoreFailures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SortedSet;

/**
 * A receipt as a JSON file (documented in {@code docs/image-module.md}, "Delta bundles"):
 *
 * <pre>{@code
 * {
 *   "receipt_version": 1,
 *   "created": "2026-12-01T13:30:00Z",
 *   "source": "oci://registry.site:5000",
 *   "images": [
 *     {"name": "registry.site:5000/library/nginx:1.27", "digest": "sha256:...",
 *      "manifests": ["sha256:...", ...], "blobs": ["sha256:...", ...]}
 *   ],
 *   "manifests": ["sha256:...", ...],
 *   "blobs": ["sha256:...", ...]
 * }
 * }</pre>
 *
 * The top-level {@code manifests} and {@code blobs} are the union over the images, for tools and people
 * ({@code jq .blobs}); a receipt made by hand may list only them, and {@code images} may be empty.
 * Written to a temporary file and renamed, so a reader never sees half a receipt.
 */
public final class ReceiptFile {


    private ReceiptFile() {
    }

    /** Writes {@code receipt} to {@code file}, replacing it atomically. */
    public static void write(Path file, Receipt receipt) throws IOException {
        ObjectNode root = JsonFiles.JSON.createObjectNode();
        root.put("receipt_version", receipt.version());
        root.put("created", receipt.created());
        root.put("source", receipt.source());
        ArrayNode images = root.putArray("images");
        for (ReceiptImage image : receipt.images()) {
            ObjectNode entry = images.addObject();
            entry.put("name", image.name().toString());
            entry.put("digest", image.digest().toString());
            digests(entry.putArray("manifests"), image.manifests());
            digests(entry.putArray("blobs"), image.blobs());
        }
        digests(root.putArray("manifests"), receipt.manifests());
        digests(root.putArray("blobs"), receipt.blobs());
        try {
            JsonFiles.write(file, root);
        } catch (IOException e) {
            // Named as the file asked for: the failing one is often the temporary file beside it.
            String what = "the receipt " + file;
            IOException said = StoreFailures.ifRefusedByTheFileSystem(e, file.toAbsolutePath().getParent(), what);
            throw said != e ? said : new ImageException("cannot write " + what + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a receipt.
     *
     * @throws ImageException naming the file when it is missing, not JSON, of another version, or malformed
     */
    public static Receipt read(Path file) throws IOException {
        JsonNode root;
        try {
            root = JsonFiles.JSON.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new ImageException("the receipt " + file + " does not exist; write it at the far side with "
                    + "stevedore receipt (or a push's receipt: argument) and bring it here");
        } catch (JsonProcessingException e) {
            throw new ImageException("the receipt " + file + " is not JSON (" + e.getOriginalMessage() + ")");
        }
        if (root == null || !root.isObject()) {
            throw new ImageException("the receipt " + file + " is not a JSON object");
        }
        JsonNode version = root.get("receipt_version");
        if (version == null || !version.isInt()) {
            throw malformed(file, "it has no receipt_version; it is not a Stevedore receipt");
        }
        if (version.intValue() != Receipt.VERSION) {
            throw malformed(file, "its receipt_version is " + version.intValue() + ", and this Stevedore reads version "
                    + Receipt.VERSION + "; write the receipt again with this version");
        }
        List<ReceiptImage> images = new ArrayList<>();
        JsonNode entries = root.path("images");
        for (int i = 0; i < entries.size(); i++) {
            JsonNode entry = entries.get(i);
            String where = "images[" + i + "]";
            images.add(new ReceiptImage(reference(file, text(file, entry, "name", where), where),
                    digest(file, text(file, entry, "digest", where), where + ".digest"),
                    digests(file, entry.path("manifests"), where + ".manifests"),
                    digests(file, entry.path("blobs"), where + ".blobs")));
        }
        return new Receipt(Receipt.VERSION, root.path("created").asText(""), root.path("source").asText(""), images,
                digests(file, root.path("blobs"), "blobs"), digests(file, root.path("manifests"), "manifests"));
    }

    private static void digests(ArrayNode array, Collection<Digest> digests) {
        digests.forEach(digest -> array.add(digest.toString()));
    }

    private static SortedSet<Digest> digests(Path file, JsonNode array, String where) throws ImageException {
        SortedSet<Digest> digests = Digests.mutable();
        if (array.isMissingNode() || array.isNull()) {
            return digests;
        }
        if (!array.isArray()) {
            throw malformed(file, where + " is not a list of digests");
        }
        for (int i = 0; i < array.size(); i++) {
            digests.add(digest(file, array.get(i).asText(), where + "[" + i + "]"));
        }
        return digests;
    }

    private static String text(Path file, JsonNode entry, String key, String where) throws ImageException {
        JsonNode value = entry.get(key);
        if (value == null || !value.isTextual()) {
            throw malformed(file, where + " has no " + key);
        }
        return value.asText();
    }

    private static Digest digest(Path file, String text, String where) throws ImageException {
        try {
            return Digest.parse(text);
        } catch (IllegalArgumentException e) {
            throw malformed(file, where + " '" + text + "' is not a digest sha256:<64 hex>");
        }
    }

    private static ImageReference reference(Path file, String text, String where) throws ImageException {
        try {
            return ImageReference.parse(text);
        } catch (InvalidReferenceException e) {
            throw malformed(file, where + ".name '" + text + "' is not an image reference: " + e.getMessage());
        }
    }

    private static ImageException malformed(Path file, String problem) {
        return new ImageException("the receipt " + file + " cannot be used: " + problem);
    }
}
