package dev.stevedore.spi;

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

    /**
     * Runs one task (or one loop item of a task).
     *
     * <p>Expected failures (bad arguments, a registry that refuses) are reported through
     * {@link ModuleResult#failed}, never thrown. An exception escaping this method is treated as a
     * bug in the module and reported as such.
     */
    ModuleResult execute(ExecOptions options);
}
