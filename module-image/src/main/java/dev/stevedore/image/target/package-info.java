/**
 * The interface every place images are copied from or to implements ({@link dev.stevedore.image.target.ImageTarget}):
 * registries and the directory stores. The copier works through it alone.
 */
package dev.stevedore.image.target;
