; accept TCP to the web ports of our networks, tag them
.set web int { 80, 443 }
.set ours cidr { 10.0.0.0/8 }
.rule 100
    ldm r1, ip_proto
    jne r1, 6, skip
    ldm r2, dst_port
    jin r2, @web, web
    ja skip
web:
    jaddr dst, @ours, ours
    ja skip
ours:
    stm tag, 1
    ret pass, 100
.end
skip:
    ret drop
