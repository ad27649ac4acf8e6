/** Turning registered results and variables into JSON-like values a template can read. */
package dev.stevedore.engine.value;
