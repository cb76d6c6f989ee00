package io.judo.packet.build;

import java.util.SplittableRandom;

/**
 * Filler for generated messages (web pages, mails, files, ciphertext): lorem-ipsum words and sentences, hex tokens and
 * random bytes.
 */
final class RandomText {
    private static final String[] WORDS = {"lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipiscing",
        "elit", "sed", "do", "eiusmod", "tempor", "incididunt", "ut", "labore", "et", "dolore", "magna", "aliqua"};

    private RandomText() {
    }

    static String word(SplittableRandom random) {
        return WORDS[random.nextInt(WORDS.length)];
    }

    /** Five to nineteen words and a full stop. */
    static String sentence(SplittableRandom random) {
        StringBuilder sb = new StringBuilder();
        int n = 5 + random.nextInt(15);
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : " ").append(word(random));
        }
        return sb.append('.').toString();
    }

    /** {@code n} random bytes: what an observer sees of keys, signatures and ciphertext. */
    static byte[] bytes(SplittableRandom random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** {@code bytes} random bytes as lower-case hex. */
    static String hex(SplittableRandom random, int bytes) {
        StringBuilder sb = new StringBuilder(bytes * 2);
        for (int i = 0; i < bytes; i++) {
            sb.append(Character.forDigit(random.nextInt(16), 16)).append(Character.forDigit(random.nextInt(16), 16));
        }
        return sb.toString();
    }
}
