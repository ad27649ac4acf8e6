/**
 * Reading playbooks: YAML documents into {@link dev.stevedore.engine.playbook.Playbook}s of plays and tasks,
 * every error with its file, line and column, and a "did you mean" for misspelt keys.
 */
package dev.stevedore.engine.playbook;
