/**
 * The module SPI, JDK only: what a task module implements ({@link dev.stevedore.spi.Module}) and what the
 * engine hands it per task: arguments and variables ({@link dev.stevedore.spi.ExecOptions},
 * {@link dev.stevedore.spi.CheckOptions}), templates, a log with progress, and cancellation. A module
 * answers with a {@link dev.stevedore.spi.ModuleResult}, the task's registered result.
 */
package dev.stevedore.spi;
