/** The {@link dev.stevedore.spi.Templates} implementation: FreeMarker with the playbook's {@code ${...}} syntax. */
package dev.stevedore.engine.template;
