/**
 * The {@code image} task's arguments in its three forms: their specs and documentation, their checks before
 * the run and when the task runs, and their translation into {@link dev.stevedore.image.args.CopyTask}s: a
 * {@link dev.stevedore.image.copy.CopyRequest} for the copier and the
 * {@link dev.stevedore.image.args.TargetSettings} its targets are opened with.
 */
package dev.stevedore.image.args;
