/**
 * The Suricata/Snort rule front end: {@link io.judo.rules.suricata.RuleParser} reads one rule into a
 * {@link io.judo.rules.suricata.SuricataRule} (header sets resolved against {@link io.judo.rules.suricata.Variables},
 * payload keywords as an ordered inspection chain), {@link io.judo.rules.suricata.RuleLoader} reads files and
 * counts what it skipped and why, and {@link io.judo.rules.suricata.RuleSetCompiler} turns the loaded rules into
 * one VM program per hook plus a prefilter pattern set.
 */
package io.judo.rules.suricata;
