package dev.stevedore.image.receipt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.image.error.ImageException;
import dev.stevedore.image.reference.Digest;
import dev.stevedore.image.target.RootFiles;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The mark of a delta bundle: the file {@value #FILE_NAME} at the root of a bundle (a directory, or a member of
 * an archive, see {@link RootFiles}) that a pull with {@code exclude:} wrote, naming each blob left out because
 * the far side holds it, with the repositories the receipt saw it in. A later push reads it to tell a blob that
 * is expected at the far side from one that is simply missing. Neither layout's listing reads it (it is not in a
 * {@code manifests} folder, has no {@code mediaType}, and is not {@code index.json}), so KubeKey and skopeo
 * ignore it.
 *
 * <pre>{@code
 * {"delta_version": 1, "receipt_source": "oci://registry.site:5000", "receipt_created": "2026-12-01T13:30:00Z",
 *  "excluded": [{"digest": "sha256:...", "repositories": ["library/nginx"]}]}
 * }</pre>
 *
 * @param receiptSource  where the receipt was taken, for messages
 * @param receiptCreated when
 * @param excluded       each excluded blob with the far side's repositories that hold it
 */
public record DeltaMarker(String receiptSource, String receiptCreated, Map<Digest, List<String>> excluded) {

    /** The marker's name at the directory's root. */
    public static final String FILE_NAME = "stevedore-delta.json";

    private static final int VERSION = 1;

    public DeltaMarker {
        TreeMap<Digest, List<String>> sorted = new TreeMap<>(Digests.ORDER);
        excluded.forEach((digest, repositories) -> sorted.put(digest, List.copyOf(repositories)));
        excluded = java.util.Collections.unmodifiableSortedMap(sorted);
    }

    /** The marker of the bundle {@code where} describes, or empty when the bundle is not a delta. */
    public static Optional<DeltaMarker> read(RootFiles bundle, String where) throws IOException {
        Optional<byte[]> bytes = bundle.read(FILE_NAME);
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        String file = FILE_NAME + " in " + where;
        JsonNode root;
        try {
            root = JsonFiles.JSON.readTree(bytes.get());
        } catch (JsonProcessingException e) {
            throw new ImageException(file + " (the list of blobs this delta bundle leaves out) is not JSON ("
                    + e.getOriginalMessage() + "); pull the delta again");
        }
        if (root == null || root.path("delta_version").asInt() != VERSION) {
            throw new ImageException(file + " is not a delta marker of version " + VERSION + "; pull the delta again");
        }
        Map<Digest, List<String>> excluded = new TreeMap<>(Digests.ORDER);
        for (JsonNode entry : root.path("excluded")) {
            List<String> repositories = new ArrayList<>();
            entry.path("repositories").forEach(repository -> repositories.add(repository.asText()));
            try {
                excluded.put(Digest.parse(entry.path("digest").asText()), repositories);
            } catch (IllegalArgumentException e) {
                throw new ImageException(file + " names an excluded blob that is not a digest: " + e.getMessage());
            }
        }
        return Optional.of(new DeltaMarker(root.path("receipt_source").asText(""), root.path("receipt_created").asText(""), excluded));
    }

    /** Whether the delta leaves {@code blob} out. */
    public boolean excludes(Digest blob) {
        return excluded.containsKey(blob);
    }

    /** The far side's repositories that held {@code blob} when the receipt was taken. */
    public List<String> repositoriesHolding(Digest blob) {
        return excluded.getOrDefault(blob, List.of());
    }

    /** This marker with {@code more}'s exclusions added: a second delta pull into the same directory. */
    public DeltaMarker merge(DeltaMarker more) {
        Map<Digest, List<String>> all = new TreeMap<>(Digests.ORDER);
        all.putAll(excluded);
        more.excluded.forEach((digest, repositories) -> {
            Set<String> union = new LinkedHashSet<>(all.getOrDefault(digest, List.of()));
            union.addAll(repositories);
            all.put(digest, List.copyOf(union));
        });
        return new DeltaMarker(more.receiptSource, more.receiptCreated, all);
    }

    /** Writes the marker into {@code bundle}, merged with the one already there. */
    public void writeInto(RootFiles bundle, String where) throws IOException {
        DeltaMarker merged = read(bundle, where).map(existing -> existing.merge(this)).orElse(this);
        ObjectNode root = JsonFiles.JSON.createObjectNode();
        root.put("delta_version", VERSION);
        root.put("receipt_source", merged.receiptSource);
        root.put("receipt_created", merged.receiptCreated);
        ArrayNode entries = root.putArray("excluded");
        merged.excluded.forEach((digest, repositories) -> {
            ObjectNode entry = entries.addObject();
            entry.put("digest", digest.toString());
            repositories.forEach(entry.putArray("repositories")::add);
        });
        bundle.write(FILE_NAME, JsonFiles.bytesOf(root));
    }
}
