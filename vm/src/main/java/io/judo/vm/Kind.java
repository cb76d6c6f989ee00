package io.judo.vm;

/** What an opcode does, as the verifier and interpreter group them. */
public enum Kind {
    ALU64, ALU32, UNARY, LOAD, META_LOAD, META_STORE, MEM_LOAD, MEM_STORE, JUMP, JUMP64, JUMP32, JUMP_SET, JUMP_ADDR,
    CALL, EXIT
}
