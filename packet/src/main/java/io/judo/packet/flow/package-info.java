/**
 * Bidirectional flow identity: {@link io.judo.packet.flow.FlowKey} canonicalises a 5-tuple plus VLAN ids so that both
 * directions of a conversation have the same key and the same symmetric hash (the property NIC RSS with a symmetric
 * key gives, and what sharding flows onto workers needs). {@link io.judo.packet.flow.FlowKeySet} counts distinct keys
 * in flat arrays.
 */
package io.judo.packet.flow;
