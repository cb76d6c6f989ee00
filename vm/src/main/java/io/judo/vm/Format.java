package io.judo.vm;

/** How an instruction's fields appear in assembly text; one per opcode row. */
public enum Format {
    /** {@code op rD, imm}. */
    REG_IMM,
    /** {@code op rD, rS}. */
    REG_REG,
    /** {@code op rD}. */
    REG,
    /** {@code op rD, BASE[off]}: base in imm. */
    LOAD,
    /** {@code op rD, BASE[rS + off]}: base in imm. */
    LOAD_INDEXED,
    /** {@code ldm rD, FIELD}: field in imm. */
    META_LOAD,
    /** {@code stm FIELD, rS}: field in imm. */
    META_STORE_REG,
    /** {@code stm FIELD, imm}: field in off. */
    META_STORE_IMM,
    /** {@code ldmem rD, M[off]}. */
    MEM_LOAD,
    /** {@code stmem M[off], rS}. */
    MEM_STORE,
    /** {@code ja label}: target pc + 1 + off. */
    JUMP,
    /** {@code jal label}: target pc + 1 + imm (32 bits). */
    JUMP_LONG,
    /** {@code jcc rD, imm, label}. */
    JUMP_IMM,
    /** {@code jcc rD, rS, label}. */
    JUMP_REG,
    /** {@code jin rD, @set, label}: integer set index in imm. */
    JUMP_SET,
    /** {@code jaddr src|dst, @set, label}: which address in src (0 source, 1 destination), CIDR set in imm. */
    JUMP_ADDR,
    /** {@code call helper}: helper id in imm. */
    CALL,
    /** {@code ret VERDICT[, rule]}: verdict in off, rule id in imm. */
    RET,
    /** {@code retr rD}: verdict in the low 8 bits of rD, rule id above. */
    RET_REG
}
