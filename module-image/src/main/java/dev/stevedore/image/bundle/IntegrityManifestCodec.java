package dev.stevedore.image.bundle;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stevedore.image.bundle.IntegrityManifest.Blob;
import dev.stevedore.image.bundle.IntegrityManifest.Image;
import dev.stevedore.image.bundle.IntegrityManifest.Part;
import dev.stevedore.image.reference.Digest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Writes and reads {@link IntegrityManifest}s in the one format its javadoc shows. Written with a streaming
 * generator, field by field, so that the order never depends on a mapper's settings; read strictly: a
 * missing or mistyped field is an {@link InvalidIntegrityManifestException} naming it.
 *
 * <p>{@code parts}: Stevedore writes it empty, for a directory and for a bundle archive alike. A part cannot
 * hold its own hash, and a list of only the other parts would make the archive's member differ from the file
 * a pull into a directory writes and change with every part; so the SHA-256 of every part (or of the one
 * file) is in {@code NAME.sha256} beside the archive, in {@code sha256sum}'s format
 * ({@code dev.stevedore.image.store.archive.PartChecksums}): an operator runs {@code sha256sum -c NAME.sha256}
 * in the bundle's folder, or {@code stevedore verify NAME}. The field is read, and kept in the schema, for a
 * writer that lists parts it knows to be final.
 */
public final class IntegrityManifestCodec {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final Pattern SHA256_HEX = Pattern.compile("[a-f0-9]{64}");

    private IntegrityManifestCodec() {
    }

    /** The manifest as UTF-8 JSON, two-space indented, ending with a newline. */
    public static byte[] write(IntegrityManifest manifest) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            // "key": value, each entry on its own line, as Go's MarshalIndent writes KubeKey's layout files.
            DefaultPrettyPrinter pretty = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                    .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                    .withArrayIndenter(new DefaultIndenter("  ", "\n"));
            json.setPrettyPrinter(pretty);
            json.writeStartObject();
            json.writeStringField("mediaType", IntegrityManifest.MEDIA_TYPE);
            json.writeNumberField("schemaVersion", IntegrityManifest.SCHEMA_VERSION);
            json.writeObjectFieldStart("tool");
            json.writeStringField("name", IntegrityManifest.TOOL);
            json.writeStringField("version", manifest.toolVersion());
            json.writeEndObject();
            json.writeArrayFieldStart("blobs");
            for (Blob blob : manifest.blobs()) {
                json.writeStartObject();
                json.writeStringField("digest", blob.digest().toString());
                json.writeNumberField("size", blob.size());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeArrayFieldStart("images");
            for (Image image : manifest.images()) {
                json.writeStartObject();
                json.writeStringField("name", image.name());
                json.writeStringField("digest", image.digest().toString());
                json.writeStringField("mediaType", image.mediaType());
                json.writeArrayFieldStart("platforms");
                for (String platform : image.platforms()) {
                    json.writeString(platform);
                }
                json.writeEndArray();
                json.writeArrayFieldStart("references");
                for (Digest reference : image.references()) {
                    json.writeString(reference.toString());
                }
                json.writeEndArray();
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeArrayFieldStart("parts");
            for (Part part : manifest.parts()) {
                json.writeStartObject();
                json.writeStringField("name", part.name());
                json.writeNumberField("size", part.size());
                json.writeStringField("sha256", part.sha256());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON into memory failed", e);
        }
        out.write('\n');
        return out.toByteArray();
    }

    /** Parses what {@link #write} wrote (or a later minor revision with more fields, which are ignored). */
    public static IntegrityManifest read(byte[] bytes) throws InvalidIntegrityManifestException {
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new InvalidIntegrityManifestException("it is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !root.isObject()) {
            throw new InvalidIntegrityManifestException("it is not a JSON object");
        }
        String mediaType = text(root, "mediaType", "");
        if (!mediaType.equals(IntegrityManifest.MEDIA_TYPE)) {
            throw new InvalidIntegrityManifestException("its mediaType is '" + mediaType + "', expected " + IntegrityManifest.MEDIA_TYPE);
        }
        int schema = root.path("schemaVersion").asInt(-1);
        if (schema < 1 || schema > IntegrityManifest.SCHEMA_VERSION) {
            throw new InvalidIntegrityManifestException("schemaVersion " + root.path("schemaVersion")
                    + " is not one this version reads (1 to " + IntegrityManifest.SCHEMA_VERSION + "): use a newer Stevedore");
        }
        String version = text(root.path("tool"), "version", "tool.");
        List<Blob> blobs = new ArrayList<>();
        for (JsonNode blob : array(root, "blobs")) {
            blobs.add(new Blob(digest(blob, "digest", "blobs[]."), size(blob, "blobs[].")));
        }
        List<Image> images = new ArrayList<>();
        for (JsonNode image : array(root, "images")) {
            List<String> platforms = new ArrayList<>();
            array(image, "platforms").forEach(p -> platforms.add(p.asText()));
            List<Digest> references = new ArrayList<>();
            for (JsonNode reference : array(image, "references")) {
                references.add(parseDigest(reference.asText(), "images[].references[]"));
            }
            images.add(new Image(text(image, "name", "images[]."), digest(image, "digest", "images[]."),
                    text(image, "mediaType", "images[]."), platforms, references));
        }
        List<Part> parts = new ArrayList<>();
        for (JsonNode part : array(root, "parts")) {
            String sha256 = text(part, "sha256", "parts[].");
            if (!SHA256_HEX.matcher(sha256).matches()) {
                throw new InvalidIntegrityManifestException("parts[].sha256 '" + sha256 + "' is not 64 lower-case hex characters");
            }
            parts.add(new Part(text(part, "name", "parts[]."), size(part, "parts[]."), sha256));
        }
        return new IntegrityManifest(version, blobs, images, parts);
    }

    /** The same bytes {@link #write} gives, as text: for messages and tests. */
    public static String toText(IntegrityManifest manifest) {
        return new String(write(manifest), StandardCharsets.UTF_8);
    }

    private static String text(JsonNode node, String field, String where) throws InvalidIntegrityManifestException {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new InvalidIntegrityManifestException(where + field + " is missing or not a string");
        }
        return value.asText();
    }

    private static Iterable<JsonNode> array(JsonNode node, String field) throws InvalidIntegrityManifestException {
        JsonNode value = node.get(field);
        if (value == null || !value.isArray()) {
            throw new InvalidIntegrityManifestException(field + " is missing or not a list");
        }
        return value;
    }

    private static long size(JsonNode node, String where) throws InvalidIntegrityManifestException {
        JsonNode value = node.get("size");
        if (value == null || !value.canConvertToLong() || !value.isIntegralNumber() || value.asLong() < 0) {
            throw new InvalidIntegrityManifestException(where + "size is missing or not a non-negative whole number");
        }
        return value.asLong();
    }

    private static Digest digest(JsonNode node, String field, String where) throws InvalidIntegrityManifestException {
        return parseDigest(text(node, field, where), where + field);
    }

    private static Digest parseDigest(String text, String where) throws InvalidIntegrityManifestException {
        try {
            return Digest.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidIntegrityManifestException(where + ": " + e.getMessage());
        }
    }
}
