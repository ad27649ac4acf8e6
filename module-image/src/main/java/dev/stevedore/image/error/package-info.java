/**
 * The failures of the image module: {@link dev.stevedore.image.error.ImageException}, the base of every
 * error an operator sees, whose message says what failed, for which image, registry or directory, and
 * what to do; and {@link dev.stevedore.image.error.ContentMismatch}, the one type of every failure
 * because content did not match its digest or size, whether a registry or a directory found it; and
 * {@link dev.stevedore.image.error.ProjectMissing}, a registry's missing project, which a check run tells
 * apart. Its own
 * package so that every other package can use it without depending on the module's entry point (the
 * root package), which depends on them.
 */
package dev.stevedore.image.error;
