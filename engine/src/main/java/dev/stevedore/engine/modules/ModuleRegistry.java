package dev.stevedore.engine.modules;

import dev.stevedore.engine.playbook.Task;
import dev.stevedore.spi.Module;
import dev.stevedore.spi.ModuleCommand;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The task modules the engine knows, by name. Built once at start-up, from
 * {@link ServiceLoader} or from an explicit list; two modules claiming one name is an error that
 * names both classes, so a stray jar cannot silently replace a module.
 */
public final class ModuleRegistry {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

    private static final Pattern COMMAND_NAME = Pattern.compile("[a-z][a-z0-9-]*");
    /** The engine's own commands (and the checkout launcher's), which no module command may shadow. */
    public static final List<String> BUILT_IN_COMMANDS = List.of("run", "demo", "registry", "modules", "doc", "help", "version");

    private final SortedMap<String, Module> modules;
    private final SortedMap<String, ModuleCommand> commands;

    private ModuleRegistry(SortedMap<String, Module> modules, SortedMap<String, ModuleCommand> commands) {
        this.modules = Collections.unmodifiableSortedMap(modules);
        this.commands = Collections.unmodifiableSortedMap(commands);
    }

    /** Every module listed in {@code META-INF/services/dev.stevedore.spi.Module} visible to the loader. */
    public static ModuleRegistry discover(ClassLoader loader) {
        List<Module> found = new ArrayList<>();
        try {
            ServiceLoader.load(Module.class, loader).forEach(found::add);
        } catch (ServiceConfigurationError e) {
            throw new ModuleConflictException("cannot load a module: " + e.getMessage(), e);
        }
        return of(found);
    }

    /** The modules on this class's own class path: the built-in ones and every bundled module. */
    public static ModuleRegistry discover() {
        return discover(ModuleRegistry.class.getClassLoader());
    }

    /** A registry of exactly these modules. */
    public static ModuleRegistry of(Collection<? extends Module> modules) {
        SortedMap<String, Module> byName = new TreeMap<>();
        for (Module module : modules) {
            String name = module.name();
            if (name == null || !NAME.matcher(name).matches() || Task.KEYS.contains(name)) {
                throw new ModuleConflictException("module " + module.getClass().getName() + " has an invalid name '" + name
                        + "' (lower-case letters, digits and underscores, not a task key such as "
                        + String.join(", ", Task.KEYS) + ")");
            }
            Module previous = byName.putIfAbsent(name, module);
            if (previous != null) {
                throw new ModuleConflictException("two modules are named '" + name + "': " + previous.getClass().getName()
                        + " and " + module.getClass().getName() + "; remove one of them from the class path");
            }
        }
        return new ModuleRegistry(byName, commandsOf(byName));
    }

    /** Every module's commands by name; two with one name, or one named like a built-in command, is an error. */
    private static SortedMap<String, ModuleCommand> commandsOf(SortedMap<String, Module> modules) {
        SortedMap<String, ModuleCommand> byName = new TreeMap<>();
        SortedMap<String, String> owners = new TreeMap<>();
        for (Module module : modules.values()) {
            for (ModuleCommand command : module.commands()) {
                String name = command.name();
                if (name == null || !COMMAND_NAME.matcher(name).matches() || BUILT_IN_COMMANDS.contains(name)) {
                    throw new ModuleConflictException("module " + module.name() + " offers a command with an invalid name '" + name
                            + "' (lower-case letters, digits and hyphens, not one of " + String.join(", ", BUILT_IN_COMMANDS) + ")");
                }
                String previous = owners.putIfAbsent(name, module.name());
                if (previous != null) {
                    throw new ModuleConflictException("two modules offer the command '" + name + "': " + previous + " and "
                            + module.name() + "; remove one of them from the class path");
                }
                byName.put(name, command);
            }
        }
        return byName;
    }

    /** The command a module adds under {@code name}, if any. */
    public Optional<ModuleCommand> command(String name) {
        return Optional.ofNullable(commands.get(name));
    }

    /** The commands modules add, sorted by name. */
    public Collection<ModuleCommand> commands() {
        return commands.values();
    }

    public Optional<Module> find(String name) {
        return Optional.ofNullable(modules.get(name));
    }

    /** The module names, sorted. */
    public SortedSet<String> names() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(modules.keySet()));
    }

    /** The modules, sorted by name. */
    public Collection<Module> modules() {
        return modules.values();
    }
}
