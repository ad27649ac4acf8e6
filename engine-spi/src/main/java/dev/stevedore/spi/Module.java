package dev.stevedore.spi;

import java.util.List;

/**
 * A task module: the code behind one key of a playbook task, such as {@code debug:} or {@code image:}.
 *
 * <p>Modules are discovered with {@link java.util.ServiceLoader}: list the implementation in
 * {@code META-INF/services/dev.stevedore.spi.Module}. Names are unique; two modules claiming one name
 * stop the engine at start-up. An implementation must be stateless between calls: the engine may run
 * the same instance for many tasks.
 */
public interface Module {

    /** The task key this module answers to, for example {@code image}. */
    String name();

    /** What the module does, in one line, for {@code stevedore modules}; empty when it does not say. */
    default String description() {
        return "";
    }

    /**
     * The module's argument reference as plain text, for {@code stevedore doc NAME}: every argument with
     * its type, default and meaning. Generate it from the same declarations {@link #check} and
     * {@link #execute} validate with, so that the reference cannot drift from what is accepted. Empty when
     * the module has none.
     */
    default String documentation() {
        return "";
    }

    /**
     * The CLI commands this module brings besides its task ({@code stevedore receipt}); none by default. The
     * engine finds them through the module, so it depends on the SPI alone.
     */
    default List<ModuleCommand> commands() {
        return List.of();
    }

    /**
     * Checks one task's arguments before the playbook runs, so that a typo in the fifth task fails before
     * the first one has worked for an hour: unknown keys, missing required keys, wrong types, and values
     * that can be judged without variables (references, regular expressions, platforms that are not
     * templates). A value that is a template is known only when the task runs, and is left to
     * {@link #execute}.
     *
     * <p>Must not do I/O. The default finds nothing wrong.
     *
     * @return the problems found, one line each and naming the key; empty when there is none
     */
    default List<String> check(CheckOptions options) {
        return List.of();
    }

    /**
     * Whether the module can run in check mode ({@link ExecOptions#checkMode()}): report what it would do
     * without changing anything. In a check run the engine skips the tasks of a module that cannot, saying
     * so, as Ansible does for modules without {@code supports_check_mode}. The default is false: a module
     * that has not been written for check mode must not be run in one.
     */
    default boolean supportsCheckMode() {
        return false;
    }

    /**
     * Runs one task (or one loop item of a task).
     *
     * <p>Expected failures (bad arguments, a registry that refuses) are reported through
     * {@link ModuleResult#failed}, never thrown. An exception escaping this method is treated as a
     * bug in the module and reported as such.
     */
    ModuleResult execute(ExecOptions options);
}
