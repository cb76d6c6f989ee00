package io.judo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code judo scan --eve --eve-types fileinfo} over the demo writes a {@code fileinfo} line for the mail's attachment
 * beside the HTTP bodies' ({@code fileinfo} covers both), and {@code --eve-types smtp} keeps the mail's record without
 * it. The oracle for size and digest is the attachment's text as the demo's mail encodes it, hashed here.
 */
class MailFileinfoScanTest {
    @TempDir
    Path dir;

    private static final byte[] ATTACHMENT = ("JUDO-DEMO-ATTACHMENT: the quarterly invoice, decoded from base64 by the "
            + "SMTP parser\n").getBytes(StandardCharsets.US_ASCII);

    private List<String> eve(String types) throws Exception {
        Path eve = dir.resolve(types + ".json");
        Run r = Run.judo("scan", "--eve", eve.toString(), "--eve-types", types);
        assertEquals(0, r.status(), r.err());
        return Files.readAllLines(eve);
    }

    @Test
    void theDemoMailsAttachmentHasAFileinfoLineOnlyWhenFileinfoIsAsked() throws Exception {
        List<String> files = eve("fileinfo");
        assertTrue(files.stream().allMatch(l -> l.contains("\"event_type\":\"fileinfo\"")), files::toString);
        List<String> mail = files.stream().filter(l -> l.contains("\"app_proto\":\"smtp\"")).toList();
        assertEquals(1, mail.size(), files::toString);
        assertTrue(files.stream().anyMatch(l -> l.contains("\"app_proto\":\"http\"")), "HTTP bodies too: " + files);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(ATTACHMENT));
        String line = mail.get(0);
        assertTrue(line.contains("\"email\":{\"status\":\"PARSE_DONE\",\"from\":\"alice@example.com\""), line);
        assertTrue(line.endsWith("\"fileinfo\":{\"filename\":\"invoice.txt\",\"gaps\":false,\"state\":\"CLOSED\","
                + "\"sha256\":\"" + sha256 + "\",\"stored\":false,\"size\":" + ATTACHMENT.length + ",\"tx_id\":0}}"),
                line);

        List<String> smtp = eve("smtp");
        assertEquals(1, smtp.size(), smtp::toString);
        assertTrue(smtp.get(0).contains("\"event_type\":\"smtp\""), smtp.get(0));
    }
}
