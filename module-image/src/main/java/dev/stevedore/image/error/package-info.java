/**
 * The failures of the image module: {@link dev.stevedore.image.error.ImageException}, the base of every
 * error an operator sees, whose message says what failed, for which image, registry or directory, and
 * what to do. Its own package so that every other package can use it without depending on the module's
 * entry point (the root package), which depends on them.
 */
package dev.stevedore.image.error;
