; A small rule program exercising every operand format (assembler -> disassembler golden test).
.default drop
.string banner "Server: Apache\x00\"q\""
.set web int { 8000-8080, 80, 443 }
.set nets cidr { 10.0.0.0/8, !10.1.0.0/16, 2001:db8::/32 }
.patterns content 3
.rule 1001
    ldh r1, pkt[12]          ; ethertype
    jne32 r1, 0x800, skip
    ldb r2, l3[9]
    jeq r2, 6, tcp
    ja skip
tcp:
    ldm r3, dst_port
    jin r3, @web, web
    ja skip
web:
    jaddr dst, @nets, inside
    ja skip
inside:
    mov r1, @content
    call match
    jeq r0, 0, skip
    mov r1, 2
    mov r2, @banner
    call replace_match
    stm tag, 7
    ldm r3, dst_port
ldx: ldb r4, payload[r3 - 2]
    stmem M[0], r4
    ldmem r5, M[0]
    bswap16 r5
    add32 r5, r4
    stm mark, r5
    ret pass, 1001
.end
skip:
    mov r6, 0x12345678
    mov r7, 0
again:
    stmem M[63], r7
    add r7, 1
    jeq r7, 3, out
    jloop again
out:
    ldmem r6, M[63]
    retr r6
