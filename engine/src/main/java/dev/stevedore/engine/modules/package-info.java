/**
 * Finding modules (ServiceLoader, {@link dev.stevedore.engine.modules.ModuleRegistry}; two modules of one
 * name are a conflict) and the built-in {@code debug} and {@code assert} modules.
 */
package dev.stevedore.engine.modules;
