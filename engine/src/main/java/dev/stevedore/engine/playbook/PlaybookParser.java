package dev.stevedore.engine.playbook;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * Turns a playbook file into {@link Playbook}, {@link Play} and {@link Task} values, checking its
 * shape up front so that a typo fails before anything runs, with the line and column.
 *
 * <p>A playbook is a list of plays {@code {name, hosts, vars, tasks}}; a task is
 * {@code {name, <module>: args, register, when, loop, ignore_errors, vars}} with exactly one module key.
 */
public final class PlaybookParser {

    static final List<String> PLAY_KEYS = List.of("name", "hosts", "vars", "tasks");
    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final SortedSet<String> modules;

    /** A parser that accepts the given module names as task keys. */
    public PlaybookParser(Collection<String> moduleNames) {
        this.modules = new TreeSet<>(moduleNames);
    }

    public Playbook parse(Path file) throws PlaybookException {
        if (!Files.exists(file)) {
            throw new PlaybookException(null, "playbook not found: " + file);
        }
        return parse(file.toString(), YamlDocuments.compose(file));
    }

    /** Parses a playbook from a reader; {@code label} names it in error messages. */
    public Playbook parse(String label, Reader reader) throws PlaybookException {
        return parse(label, YamlDocuments.compose(label, reader));
    }

    private Playbook parse(String label, Optional<Node> root) throws PlaybookException {
        NodeReader nodes = new NodeReader(label);
        if (root.isEmpty() || nodes.isNull(root.get())) {
            throw new PlaybookException(new Location(label, 1, 1), "the playbook is empty: expected a list of plays");
        }
        List<Play> plays = new ArrayList<>();
        for (Node playNode : nodes.sequence(root.get(), "a playbook")) {
            plays.add(parsePlay(nodes, playNode));
        }
        return new Playbook(label, plays);
    }

    private Play parsePlay(NodeReader nodes, Node node) throws PlaybookException {
        String name = "";
        String hosts = null;
        Map<String, Object> vars = Map.of();
        List<Task> tasks = new ArrayList<>();
        for (Map.Entry<ScalarNode, Node> entry : nodes.mapping(node, "a play").entrySet()) {
            ScalarNode key = entry.getKey();
            Node value = entry.getValue();
            switch (key.getValue()) {
                case "name" -> name = nodes.text(value, "the play's name");
                case "hosts" -> hosts = hosts(nodes, value);
                case "vars" -> vars = nodes.mapValue(value, "the play's vars");
                case "tasks" -> {
                    if (!nodes.isNull(value)) {
                        for (Node taskNode : nodes.sequence(value, "the play's tasks")) {
                            tasks.add(parseTask(nodes, taskNode));
                        }
                    }
                }
                default -> throw nodes.error(key, "unknown play key '" + key.getValue() + "' (valid keys: "
                        + String.join(", ", PLAY_KEYS) + ")");
            }
        }
        if (hosts == null) {
            throw nodes.error(node, "the play has no 'hosts' key (add hosts: localhost)");
        }
        return new Play(name, hosts, vars, tasks, nodes.location(node));
    }

    private static String hosts(NodeReader nodes, Node value) throws PlaybookException {
        String hosts = nodes.text(value, "hosts");
        if (!hosts.equals("localhost")) {
            throw nodes.error(value, "hosts '" + hosts + "' is not supported: Stevedore runs tasks on localhost only"
                    + " (use hosts: localhost)");
        }
        return hosts;
    }

    private Task parseTask(NodeReader nodes, Node node) throws PlaybookException {
        TaskBuilder task = new TaskBuilder(nodes.location(node));
        List<ScalarNode> unknown = new ArrayList<>();
        for (Map.Entry<ScalarNode, Node> entry : nodes.mapping(node, "a task").entrySet()) {
            ScalarNode key = entry.getKey();
            Node value = entry.getValue();
            switch (key.getValue()) {
                case "name" -> task.name = nodes.text(value, "the task's name");
                case "register" -> task.register = register(nodes, value);
                case "when" -> task.when = when(nodes, value);
                case "loop" -> task.loop = loop(nodes, value);
                case "ignore_errors" -> task.ignoreErrors = nodes.bool(value, "ignore_errors");
                case "vars" -> task.vars = nodes.mapValue(value, "the task's vars");
                default -> {
                    if (!modules.contains(key.getValue())) {
                        unknown.add(key);
                    } else if (task.module != null) {
                        throw nodes.error(key, "the task has two modules, '" + task.module + "' and '" + key.getValue()
                                + "'; a task runs exactly one (split it into two tasks)");
                    } else {
                        task.module = key.getValue();
                        task.args = nodes.mapValue(value, "the arguments of module '" + key.getValue() + "'");
                    }
                }
            }
        }
        if (!unknown.isEmpty()) {
            throw unknownKey(nodes, unknown.get(0), task.module != null || unknown.size() > 1);
        }
        if (task.module == null) {
            throw nodes.error(node, "the task has no module (known modules: " + String.join(", ", modules) + ")");
        }
        return task.build();
    }

    /**
     * A key that is neither a task key nor a module is a misspelled task key when it looks like one
     * (or when the task already has its module), else most likely a module that is not installed.
     */
    private PlaybookException unknownKey(NodeReader nodes, ScalarNode key, boolean taskHasModule) {
        String name = key.getValue();
        boolean looksLikeTaskKey = Task.KEYS.stream().anyMatch(k -> EditDistance.between(k, name) <= 2);
        if (taskHasModule || looksLikeTaskKey) {
            return nodes.error(key, "unknown task key '" + name + "' (valid keys: " + String.join(", ", Task.KEYS)
                    + ", and one module: " + String.join(", ", modules) + ")");
        }
        return nodes.error(key, "unknown module '" + name + "' (known modules: " + String.join(", ", modules) + ")");
    }

    private static String register(NodeReader nodes, Node value) throws PlaybookException {
        String name = nodes.text(value, "register");
        if (!VARIABLE_NAME.matcher(name).matches()) {
            throw nodes.error(value, "register must be a variable name (letters, digits and underscores), got '" + name + "'");
        }
        return name;
    }

    private static List<Object> when(NodeReader nodes, Node value) throws PlaybookException {
        Object when = nodes.value(value);
        List<Object> conditions = when instanceof List<?> list ? List.copyOf(list) : List.of(when == null ? "" : when);
        for (Object condition : conditions) {
            if (!(condition instanceof String || condition instanceof Boolean) || "".equals(condition)) {
                throw nodes.error(value, "when must be an expression, true/false, or a list of them, got "
                        + nodes.describe(value));
            }
        }
        return conditions;
    }

    private static Object loop(NodeReader nodes, Node value) throws PlaybookException {
        Object loop = nodes.value(value);
        if (loop instanceof List<?> || loop instanceof String) {
            return loop;
        }
        throw nodes.error(value, "loop must be a list or a template that renders to a list, got " + nodes.describe(value));
    }

    /** Collects a task's parts while its keys are read in any order. */
    private static final class TaskBuilder {
        private final Location location;
        private String name;
        private String module;
        private Map<String, Object> args = Map.of();
        private String register;
        private List<Object> when = List.of();
        private Object loop;
        private boolean ignoreErrors;
        private Map<String, Object> vars = Map.of();

        TaskBuilder(Location location) {
            this.location = location;
        }

        Task build() {
            return new Task(name == null ? module : name, module, args, register, when, loop, ignoreErrors, vars, location);
        }
    }
}
