/**
 * For modules' tests: run a module on YAML arguments ({@link dev.stevedore.engine.testkit.ModuleTestKit}),
 * a whole playbook, or the CLI, and read what the task logged and registered.
 */
package dev.stevedore.engine.testkit;
