package io.judo.applayer.tls;

import static io.judo.applayer.tls.Hellos.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Published vectors: JA3 examples from the JA3 authors' documentation (Salesforce's README and pyja3's), and the
 * worked JA4 example of FoxIO's JA4 specification (technical_details/JA4.md), rebuilt as ClientHellos field by field
 * and parsed; GREASE values inserted anywhere must not change them.
 */
class FingerprintVectorTest {
    private static TlsSession parse(byte[] clientHello) {
        TlsParser p = new TlsParser(TlsConfig.defaults(), new Recorder());
        p.data(0, record(22, clientHello), 0, record(22, clientHello).length);
        return p.session();
    }

    private static Hellos.Client ja3Readme(boolean grease) {
        Hellos.Client c = new Hellos.Client();
        c.version = 769;
        c.ciphers = grease ? new int[] {0x0a0a, 47, 53, 5, 10, 49161, 49162, 49171, 49172, 50, 56, 19, 4}
            : new int[] {47, 53, 5, 10, 49161, 49162, 49171, 49172, 50, 56, 19, 4};
        if (grease) {
            c.ext(0x1a1a, new byte[0]);
        }
        c.sni("example.com");
        if (grease) {
            c.groups(0x2a2a, 23, 24, 25);
        } else {
            c.groups(23, 24, 25);
        }
        c.formats(0);
        return c;
    }

    @Test
    void ja3ReadmeExample() {
        TlsSession s = parse(ja3Readme(false).message());
        assertEquals("769,47-53-5-10-49161-49162-49171-49172-50-56-19-4,0-10-11,23-24-25,0", s.client().ja3String());
        assertEquals("ada70206e40642a3e4461f35503241d5", s.client().ja3Hash());
    }

    @Test
    void greaseDoesNotChangeJa3() {
        TlsSession s = parse(ja3Readme(true).message());
        assertEquals("ada70206e40642a3e4461f35503241d5", s.client().ja3Hash());
    }

    @Test
    void pyja3Example() {
        Hellos.Client c = new Hellos.Client();
        c.version = 769;
        c.ciphers = new int[] {255, 49162, 49172, 136, 135, 57, 56, 49167, 49157, 132, 53, 49159, 49161, 49169, 49171,
            69, 68, 51, 50, 49164, 49166, 49154, 49156, 150, 65, 4, 5, 47, 49160, 49170, 22, 19, 49165, 49155, 65279,
            10};
        c.sni("192.168.1.3.example").groups(23, 24, 25).formats(0).ext(35, new byte[0]);
        TlsSession s = parse(c.message());
        // pyja3's README lists extensions 0-10-11-35 (session ticket last)
        assertEquals("769,255-49162-49172-136-135-57-56-49167-49157-132-53-49159-49161-49169-49171-69-68-51-50-49164-"
            + "49166-49154-49156-150-65-4-5-47-49160-49170-22-19-49165-49155-65279-10,0-10-11-35,23-24-25,0",
            s.client().ja3String());
        assertEquals("2aef69b4ba1938c3a400de4188743185", s.client().ja3Hash());
    }

    /** The specification's example: its ciphers, extensions (in its wire order), signature algorithms and "h2". */
    private static Hellos.Client ja4Spec(boolean grease) {
        Hellos.Client c = new Hellos.Client();
        c.ciphers = new int[] {0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014,
            0x009c, 0x009d, 0x002f, 0x0035};
        if (grease) {
            c.ciphers = prepend(0x3a3a, c.ciphers);
            c.ext(0xfafa, new byte[0]);
        }
        int[] order = {0x001b, 0x0000, 0x0033, 0x0010, 0x4469, 0x0017, 0x002d, 0x000d, 0x0005, 0x0023, 0x0012, 0x002b,
            0xff01, 0x000b, 0x000a, 0x0015};
        for (int e : order) {
            switch (e) {
                case 0x0000 -> c.sni("example.com");
                case 0x0010 -> c.alpn("h2".getBytes(StandardCharsets.US_ASCII), "http/1.1".getBytes(
                    StandardCharsets.US_ASCII));
                case 0x000d -> c.sigalgs(0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601);
                case 0x002b -> {
                    if (grease) {
                        c.versions(0x7a7a, 0x0304, 0x0303);
                    } else {
                        c.versions(0x0304, 0x0303);
                    }
                }
                case 0x000a -> c.groups(0x001d, 0x0017);
                case 0x000b -> c.formats(0);
                default -> c.ext(e, new byte[0]);
            }
        }
        return c;
    }

    private static int[] prepend(int v, int[] a) {
        int[] r = new int[a.length + 1];
        r[0] = v;
        System.arraycopy(a, 0, r, 1, a.length);
        return r;
    }

    @Test
    void ja4SpecificationExample() {
        assertEquals("t13d1516h2_8daaf6152771_e5627efa2ab1", parse(ja4Spec(false).message()).client().ja4());
    }

    @Test
    void greaseDoesNotChangeJa4() {
        assertEquals("t13d1516h2_8daaf6152771_e5627efa2ab1", parse(ja4Spec(true).message()).client().ja4());
    }

    @Test
    void ja4WithoutSignatureAlgorithmsHashesTheExtensionsAlone() {
        // the specification: "0005,000a,...,ff01" alone hashes to 6d807ffa2a79 (signature_algorithms present, empty)
        Hellos.Client c = new Hellos.Client();
        c.ciphers = new int[] {0x1301};
        for (int e : new int[] {0x001b, 0x0000, 0x0033, 0x0010, 0x4469, 0x0017, 0x002d, 0x000d, 0x0005, 0x0023,
            0x0012, 0x002b, 0xff01, 0x000b, 0x000a, 0x0015}) {
            c.ext(e, new byte[0]);
        }
        assertEquals("6d807ffa2a79", parse(c.message()).client().ja4().substring(24));
    }

    @Test
    void ja4EmptyListsAndNoAlpn() {
        Hellos.Client c = new Hellos.Client();
        c.version = 0x0301;
        TlsSession s = parse(c.message());
        assertEquals("t10i000000_000000000000_000000000000", s.client().ja4());
        assertEquals("769,,,,", s.client().ja3String());
    }

    @Test
    void ja4AlpnCharactersFollowTheSpecificationsExamples() {
        assertEquals("ab", alpn(0xab));
        assertEquals("ad", alpn(0xab, 0xcd));
        assertEquals("3b", alpn(0x30, 0xab));
        assertEquals("3d", alpn(0x30, 0x31, 0xab, 0xcd));
        assertEquals("01", alpn(0x30, 0xab, 0xcd, 0x31));
        assertEquals("hh", alpn('h'));
        assertEquals("h1", alpn("http/1.1".getBytes(StandardCharsets.US_ASCII)));
    }

    private static String alpn(int... first) {
        byte[] b = new byte[first.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) first[i];
        }
        return alpn(b);
    }

    private static String alpn(byte[] first) {
        Hellos.Client c = new Hellos.Client();
        c.ciphers = new int[] {0x002f};
        c.alpn(first, "x".getBytes(StandardCharsets.US_ASCII));
        return parse(c.message()).client().ja4().substring(8, 10);
    }

    @Test
    void memoizedFingerprintsEqualComputedOnes() {
        // many distinct clients (more than the memo's slots, so slots are overwritten), each seen twice, with
        // different server names: the second sight (a memo hit) must give what the first computed
        String[] first = new String[3 * Fingerprints.SLOTS];
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < first.length; i++) {
                Hellos.Client c = new Hellos.Client();
                c.ciphers = new int[] {0x1301, 0xc02f, 0x002f + i % 7};
                c.sni("host" + round + ".example").groups(29, 23 + i).sigalgs(0x0804, 0x0403 + i / 7).formats(0);
                if (i % 3 == 0) {
                    c.alpn(("p" + i).getBytes(StandardCharsets.US_ASCII));
                }
                TlsHello h = parse(c.message()).client();
                String got = h.ja3String() + " " + h.ja3Hash() + " " + h.ja4();
                if (round == 0) {
                    first[i] = got;
                } else {
                    assertEquals(first[i], got, "client " + i);
                }
            }
            assertEquals("t13d1516h2_8daaf6152771_e5627efa2ab1", parse(ja4Spec(false).message()).client().ja4());
        }
        assertTrue(Fingerprints.memoStats()[0] > 0, "the memo was used");
    }

    @Test
    void duplicateValuesAreKeptInTheSortedLists() throws Exception {
        Hellos.Client c = new Hellos.Client();
        c.ciphers = new int[] {0xc02f, 0x002f, 0xc02f, 0x0035};
        c.ext(0x0017, new byte[0]).ext(0x0017, new byte[0]).ext(0x000b, new byte[] {1, 0});
        String ja4 = parse(c.message()).client().ja4();
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        String b = java.util.HexFormat.of().formatHex(sha.digest("002f,0035,c02f,c02f".getBytes(
            StandardCharsets.US_ASCII))).substring(0, 12);
        String e = java.util.HexFormat.of().formatHex(sha.digest("000b,0017,0017".getBytes(
            StandardCharsets.US_ASCII))).substring(0, 12);
        assertEquals("t12i040300_" + b + "_" + e, ja4);
        // and the next hello, without duplicates, is sorted from a clean map
        assertEquals("t13d1516h2_8daaf6152771_e5627efa2ab1", parse(ja4Spec(true).message()).client().ja4());
    }
}
