/**
 * The {@code stevedore} command line: its commands and options, the console's task log (a live progress
 * block on a terminal, plain lines otherwise), extra variables, and turning on Log4j for {@code -v}/{@code -vv}.
 */
package dev.stevedore.engine.cli;
