/**
 * The {@code judo} command: picocli subcommands over the engine. Errors in user input print one line on stderr and
 * exit with status 2; nothing here prints a stack trace for bad input.
 */
package io.judo.cli;
