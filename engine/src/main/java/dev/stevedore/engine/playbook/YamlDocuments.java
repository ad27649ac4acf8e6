package dev.stevedore.engine.playbook;

import dev.stevedore.engine.value.JsonValues;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.constructor.StandardConstructor;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Reads YAML (and therefore JSON) with SnakeYAML Engine into node trees that keep the line and column
 * of every node, and turns nodes into plain, immutable Java values. YAML errors become
 * {@link PlaybookException}s with a one-line message and the location.
 *
 * <p>Scalars follow the YAML 1.2 core schema: {@code true}/{@code false} (any case), integers,
 * floats and {@code null}/{@code ~}; everything else is a string.
 */
public final class YamlDocuments {

    private YamlDocuments() {
    }

    /** Composes one YAML document; empty when the file holds no document at all. */
    public static Optional<Node> compose(String label, Reader reader) throws PlaybookException {
        try {
            return new Compose(settings(label)).composeReader(reader);
        } catch (YamlEngineException e) {
            throw translate(label, e);
        }
    }

    /** Reads a whole file (UTF-8) into a node tree; a missing or unreadable file is a one-line error. */
    public static Optional<Node> compose(Path file) throws PlaybookException {
        String label = file.toString();
        if (Files.isDirectory(file)) {
            throw new PlaybookException(null, label + " is a directory, not a YAML file");
        }
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return compose(label, reader);
        } catch (NoSuchFileException e) {
            throw new PlaybookException(null, "file not found: " + label);
        } catch (AccessDeniedException e) {
            throw new PlaybookException(null, "permission denied reading " + label);
        } catch (CharacterCodingException e) {
            throw new PlaybookException(null, label + " is not UTF-8 text");
        } catch (IOException e) {
            throw new PlaybookException(null, "cannot read " + label + ": " + e.getMessage());
        }
    }

    /** Parses a YAML or JSON text into an immutable value ({@code null} for an empty text). */
    public static Object load(String label, String text) throws PlaybookException {
        Optional<Node> node = compose(label, new StringReader(text));
        return node.isEmpty() ? null : value(label, node.get());
    }

    /** Reads a YAML or JSON file into an immutable value ({@code null} for an empty file). */
    public static Object load(Path file) throws PlaybookException {
        Optional<Node> node = compose(file);
        return node.isEmpty() ? null : value(file.toString(), node.get());
    }

    /** The plain Java value of a node: maps with string keys, lists, strings, numbers, booleans, null. */
    public static Object value(String label, Node node) throws PlaybookException {
        try {
            return JsonValues.immutableCopy(new StandardConstructor(settings(label)).constructSingleDocument(Optional.of(node)));
        } catch (YamlEngineException e) {
            throw translate(label, e);
        }
    }

    /** Where a node starts, 1-based. */
    public static Location location(String label, Node node) {
        return node.getStartMark().map(YamlDocuments::location).orElse(new Location(label, 0, 0));
    }

    private static Location location(Mark mark) {
        return new Location(mark.getName(), mark.getLine() + 1, mark.getColumn() + 1);
    }

    private static LoadSettings settings(String label) {
        return LoadSettings.builder()
                .setLabel(label)
                .setSchema(new CoreSchema())
                .setAllowDuplicateKeys(false)
                .build();
    }

    /**
     * SnakeYAML's messages span several lines with a snippet; keep the problem and its place. The
     * exception is not kept as the cause: its message quotes the lines around the error, and in a
     * {@code -e @secrets.yaml} file those hold passwords, which {@code -vv}'s stack trace would print.
     */
    private static PlaybookException translate(String label, YamlEngineException e) {
        if (e instanceof MarkedYamlEngineException marked) {
            Optional<Mark> mark = marked.getProblemMark().or(marked::getContextMark);
            String problem = marked.getProblem() != null ? marked.getProblem() : marked.getContext();
            String context = "";
            if (marked.getContext() != null && marked.getProblem() != null) {
                // Where the construct started, when that is not where the problem was found (an unclosed quote).
                String line = marked.getContextMark().filter(m -> mark.isPresent() && m.getLine() != mark.get().getLine())
                        .map(m -> " that started on line " + (m.getLine() + 1)).orElse("");
                context = " (" + oneLine(marked.getContext()) + line + ")";
            }
            return new PlaybookException(mark.map(YamlDocuments::location).orElse(null),
                    "YAML syntax error: " + oneLine(problem) + context);
        }
        return new PlaybookException(null, label + ": invalid YAML: " + oneLine(e.getMessage()));
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\s*\\R\\s*", " ").trim();
    }
}
