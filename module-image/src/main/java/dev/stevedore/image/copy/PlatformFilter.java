package dev.stevedore.image.copy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stevedore.image.args.PlatformSelection;
import dev.stevedore.image.oci.Descriptor;
import dev.stevedore.image.oci.ImageIndex;
import dev.stevedore.image.oci.Manifest;
import dev.stevedore.image.oci.ManifestParser;
import dev.stevedore.image.oci.MalformedManifestException;
import dev.stevedore.image.reference.Platform;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Selects the entries of an index that a {@link PlatformSelection} asks for (contract, section 6).
 * With {@code all}, or when every entry is selected, the original index is kept byte for byte, so its
 * digest is unchanged. Otherwise a new index is built from the original JSON with only the selected
 * entries: every other field ({@code schemaVersion}, {@code mediaType}, {@code annotations}, ...) and
 * each kept entry are carried over as they were; the new bytes have a new digest.
 */
public final class PlatformFilter {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PlatformFilter() {
    }

    /**
     * What to copy of an index.
     *
     * @param index     the index to write: the original, or the rebuilt subset
     * @param children  the entries to copy
     * @param platforms the platforms of those entries, as {@code os/arch[/variant]}
     * @param missing   requested platforms that no entry has
     */
    public record Selection(Manifest index, List<Descriptor> children, List<String> platforms, List<Platform> missing) {
        public Selection {
            children = List.copyOf(children);
            platforms = List.copyOf(platforms);
            missing = List.copyOf(missing);
        }
    }

    public static Selection select(Manifest index, PlatformSelection selection) {
        ImageIndex parsed = ManifestParser.parseIndex(index);
        List<Descriptor> entries = parsed.manifests();
        if (selection.all()) {
            return new Selection(index, entries, platformsOf(entries), List.of());
        }
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Platform platform = entries.get(i).platform();
            if (platform != null && selection.match(platform).isPresent()) {
                kept.add(i);
            }
        }
        List<Platform> missing = selection.platforms().stream()
                .filter(wanted -> kept.stream().noneMatch(i -> wanted.matches(entries.get(i).platform())))
                .toList();
        List<Descriptor> children = kept.stream().map(entries::get).toList();
        if (kept.size() == entries.size()) {
            return new Selection(index, children, platformsOf(children), missing);
        }
        return new Selection(rebuild(index, kept), children, platformsOf(children), missing);
    }

    private static Manifest rebuild(Manifest index, List<Integer> kept) {
        try {
            ObjectNode root = (ObjectNode) JSON.readTree(index.bytes());
            ArrayNode original = (ArrayNode) root.get("manifests");
            ArrayNode selected = JSON.createArrayNode();
            for (int i : kept) {
                selected.add(original.get(i));
            }
            root.set("manifests", selected);
            return Manifest.of(JSON.writeValueAsBytes(root), index.mediaType());
        } catch (IOException | ClassCastException e) {
            throw new MalformedManifestException("index " + index.digest() + " cannot be filtered by platform: " + e.getMessage());
        }
    }

    private static List<String> platformsOf(List<Descriptor> entries) {
        return entries.stream().map(Descriptor::platform).filter(p -> p != null).map(Platform::toString).distinct().toList();
    }
}
