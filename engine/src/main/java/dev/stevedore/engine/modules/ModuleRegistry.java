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
import java.util.Set;
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

    /** The engine's own commands, which no module command may take. */
    public static final Set<String> ENGINE_COMMANDS = Set.of("run", "demo", "registry", "modules", "doc", "help", "version");

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
        SortedMap<String, ModuleCommand> commands = new TreeMap<>();
        for (Module module : byName.values()) {
            for (ModuleCommand command : module.commands()) {
                String name = command.name();
                if (name == null || !NAME.matcher(name).matches() || ENGINE_COMMANDS.contains(name)) {
                    throw new ModuleConflictException("module " + module.name() + " has a command with an invalid name '" + name
                            + "' (lower-case letters, digits and underscores, not one of " + new TreeSet<>(ENGINE_COMMANDS) + ")");
                }
                if (commands.putIfAbsent(name, command) != null) {
                    throw new ModuleConflictException("two module commands are named '" + name + "'; remove one module from the class path");
                }
            }
        }
        return new ModuleRegistry(byName, commands);
    }

    /** The module command of that name ({@code receipt}), if a module brings one. */
    public Optional<ModuleCommand> command(String name) {
        return Optional.ofNullable(commands.get(name));
    }

    /** The module commands, sorted by name. */
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
