/**
 * Progress bookkeeping, apart from how it is drawn: what each running item has done, its rate over a
 * sliding window, and the lines a display prints for a snapshot.
 */
package dev.stevedore.engine.progress;
