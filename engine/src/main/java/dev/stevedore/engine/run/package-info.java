/**
 * Running playbooks: checking every task before the first runs, running plays and tasks on their hosts with
 * {@code register}, {@code when} and {@code loop}, cancellation on a signal, and the recap.
 */
package dev.stevedore.engine.run;
