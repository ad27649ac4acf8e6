package dev.stevedore.engine.playbook;

import dev.stevedore.engine.value.JsonValues;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Typed access to the nodes of one playbook file: every "expected X, got Y" error carries the
 * node's location.
 */
final class NodeReader {

    private final String label;

    NodeReader(String label) {
        this.label = label;
    }

    Location location(Node node) {
        return YamlDocuments.location(label, node);
    }

    PlaybookException error(Node node, String message) {
        return new PlaybookException(location(node), message);
    }

    boolean isNull(Node node) {
        return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
    }

    /** The entries of a mapping, keyed by their (string) key nodes' text, in file order, rejecting duplicates. */
    Map<ScalarNode, Node> mapping(Node node, String what) throws PlaybookException {
        if (!(node instanceof MappingNode mapping)) {
            throw error(node, what + " must be a mapping, got " + describe(node));
        }
        Map<ScalarNode, Node> entries = new LinkedHashMap<>();
        Map<String, ScalarNode> seen = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode key) || isNull(key)) {
                throw error(tuple.getKeyNode(), "keys of " + what + " must be plain names");
            }
            if (seen.putIfAbsent(key.getValue(), key) != null) {
                throw error(key, "duplicate key '" + key.getValue() + "' in " + what);
            }
            entries.put(key, tuple.getValueNode());
        }
        return entries;
    }

    List<Node> sequence(Node node, String what) throws PlaybookException {
        if (node instanceof SequenceNode sequence) {
            return sequence.getValue();
        }
        throw error(node, what + " must be a list, got " + describe(node));
    }

    /** A scalar's text, whatever its YAML type ({@code name: 42} is the name "42"). */
    String text(Node node, String what) throws PlaybookException {
        if (node instanceof ScalarNode scalar && !isNull(scalar)) {
            return scalar.getValue();
        }
        throw error(node, what + " must be a string, got " + describe(node));
    }

    boolean bool(Node node, String what) throws PlaybookException {
        if (value(node) instanceof Boolean b) {
            return b;
        }
        throw error(node, what + " must be true or false, got " + describe(node));
    }

    /** A mapping as an immutable Java map; {@code null} (an empty value) is an empty map. */
    Map<String, Object> mapValue(Node node, String what) throws PlaybookException {
        if (isNull(node)) {
            return Map.of();
        }
        mapping(node, what);
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) value(node);
        return map;
    }

    Object value(Node node) throws PlaybookException {
        return YamlDocuments.value(label, node);
    }

    String describe(Node node) throws PlaybookException {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        Object value = value(node);
        return value == null ? "nothing" : JsonValues.typeName(value) + " '" + ((ScalarNode) node).getValue() + "'";
    }
}
