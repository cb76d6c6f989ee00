package io.judo.cli;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TsharkHttpProbeTest {
    @Test
    void probe() throws Exception {
        for (String f : new String[] {"zeek_http_100-continue.pcap", "zeek_http_content-range-gap-skip.pcap",
            "zeek_http_cooper-grill-dvwa.pcapng", "zeek_http_http-post-large.pcap", "zeek_http_m57-long-49600-80.pcap",
            "zeek_http_pipelined-requests.pcap", "zeek_nflog-http.pcap", "/tmp/web3.pcap"}) {
            Path p = f.startsWith("/") ? Path.of(f) : Path.of("/work/shared/data/pcaps", f);
            var m = TsharkHttp.transactions(p);
            System.out.println("== " + f + " " + m.size());
            int n = 0;
            for (var e : m.entrySet()) {
                for (var t : e.getValue()) {
                    if (n++ < 12) System.out.println(e.getKey() + " | " + t.method() + " " + t.uri() + " | " + t.host() + " | " + t.userAgent() + " | " + t.requestContentType() + " " + t.requestBody().length + " | " + t.status() + " " + t.responseContentType() + " " + t.responseBody().length);
                }
            }
            System.out.println("total " + n);
        }
    }
}
