/**
 * The Suricata/Snort rule front end: {@link io.judo.rules.suricata.RuleParser} reads one rule into a
 * {@link io.judo.rules.suricata.SuricataRule} (header sets resolved against {@link io.judo.rules.suricata.Variables},
 * payload keywords as inspections, one chain per buffer, sorted as Suricata sorts them by
 * {@link io.judo.rules.suricata.InspectionBuilder}), {@link io.judo.rules.suricata.RuleLoader} reads files and
 * counts what it skipped and why, and {@link io.judo.rules.suricata.RuleSetCompiler} turns the loaded rules into
 * one VM program per hook (packet, stream, HTTP transactions) plus prefilter pattern sets.
 */
package io.judo.rules.suricata;
